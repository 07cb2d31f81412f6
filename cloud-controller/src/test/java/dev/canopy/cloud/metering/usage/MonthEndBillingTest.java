package dev.canopy.cloud.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.MonthTotals;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The month-end run prices every account the month lists, each as its own bill would. */
class MonthEndBillingTest {

  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final PriceSheet PRICES = new PriceSheet("USD", Map.of("DataTransfer-Out-Bytes", new BigDecimal("0.09"),
      "BoxUsage:m1.small", new BigDecimal("0.023")));

  @Test
  void everyListedAccountIsPricedInAccountOrderWithItsCorrections() throws Exception {
    InMemoryMeteringStore store = new InMemoryMeteringStore();
    List<String> accounts = new ArrayList<>();
    // More accounts than one task takes, so that several slices run on the pool.
    for (int a = 0; a < MonthEndBilling.ACCOUNTS_PER_TASK_MAX * 2 + 5; a++) {
      String account = String.format("%012d", a);
      accounts.add(account);
      if (a % 7 == 3) {
        continue; // listed, no ledger: an empty bill
      }
      List<AccountMonth.Row> rows = new ArrayList<>();
      for (int h = 0; h < 5; h++) {
        Instant hour = Instant.parse("2026-11-10T00:00:00Z").plusSeconds(3_600L * h);
        rows.add(new AccountMonth.Row("i-" + a, UsageType.NETWORK_OUT, null, hour, 1_000_000_007L * (a + h)));
        rows.add(new AccountMonth.Row("i-" + a, UsageType.INSTANCE_SECONDS, "m1.small", hour, 3_600));
      }
      store.put(AccountMonth.empty(account, NOVEMBER).withQuantities(rows, Instant.EPOCH).month());
    }
    // A correction of October recorded in November, for account 1.
    AccountMonth october = AccountMonth.empty(accounts.get(1), YearMonth.of(2026, 10))
        .withQuantities(List.of(new AccountMonth.Row("i-1", UsageType.NETWORK_OUT, null, Instant.parse("2026-10-31T23:00:00Z"), 5)),
            Instant.EPOCH).month().close(Instant.parse("2026-11-02T00:00:00Z"))
        .withQuantities(List.of(new AccountMonth.Row("i-1", UsageType.NETWORK_OUT, null, Instant.parse("2026-10-31T23:00:00Z"),
            5_000_000_000L)), Instant.parse("2026-11-20T00:00:00Z")).month();
    store.put(october);
    store.put(new MonthIndex(NOVEMBER, new TreeSet<>(accounts), null));
    StoredUsage usage = Batches.usage(store);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<MonthTotals> run;
    List<MonthTotals> unlisted;
    try {
      run = new MonthEndBilling(usage).run(NOVEMBER, PRICES, pool);
      unlisted = new MonthEndBilling(usage).run(YearMonth.of(2026, 9), PRICES, pool);
    } finally {
      pool.shutdown();
    }

    assertThat(run).extracting(MonthTotals::accountId).containsExactlyElementsOf(accounts);
    for (MonthTotals totals : run) {
      MonthUsage month = usage.month(totals.accountId(), NOVEMBER);
      FocusReport bill = FocusReport.build(totals.accountId(), NOVEMBER, month.usage(),
          month.corrections().stream().map(MonthUsage.Correction::change).toList(), PRICES);
      assertThat(totals.billedCost()).as(totals.accountId()).isEqualTo(bill.totalBilledCost());
    }
    assertThat(run.get(1).totals()).anySatisfy(t -> assertThat(t.correction()).isTrue());
    assertThat(run.get(3).totals()).isEmpty();
    assertThat(unlisted).as("a month with no index bills no one").isEmpty();
  }
}
