package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.batch;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.MonthTotals;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.StoredBytes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Rows of open days live in account-day records: a pass writes the day records it touches, never
 * the month's ledger, and the hourly maintenance seals a day into the ledger a day after it ended.
 * Every bill reads the same before, during and after a seal.
 */
class AccountDaysTest {

  private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");
  private static final LocalDate SIXTH = LocalDate.of(2026, 12, 6);
  private static final PriceSheet PRICES = new PriceSheet("USD", Map.of("DataTransfer-Out-Bytes", new BigDecimal("0.0900000013"),
      "DataTransfer-In-Bytes", new BigDecimal("0.0000000071")));

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();

  private UsageAggregator aggregator() {
    return new UsageAggregator(store, (from, to, now) -> List.of(), UsageAggregator.Settings.DEFAULTS);
  }

  private static long ms(Instant at, long plusSeconds) {
    return at.plusSeconds(plusSeconds).toEpochMilli();
  }

  /** What the account's bill of December says: its FOCUS rows and its month-end totals. */
  private record Bill(FocusReport report, MonthTotals totals) {
    boolean sameAs(Bill other) {
      return report.rows().equals(other.report.rows()) && report.totalBilledCost().equals(other.report.totalBilledCost())
          && totals.equals(other.totals);
    }
  }

  private Bill bill() {
    MonthUsage month = Batches.usage(store).month(ACME, DECEMBER);
    List<dev.canopy.cloud.billing.HourlyUsage> corrections = month.corrections().stream().map(MonthUsage.Correction::change).toList();
    return new Bill(FocusReport.build(ACME, DECEMBER, month.usage(), corrections, PRICES),
        MonthTotals.price(ACME, DECEMBER, month.usage(), corrections, PRICES));
  }

  private long billed(UsageType type, Instant hour) {
    return Batches.usage(store).month(ACME, DECEMBER).usage().stream()
        .filter(u -> u.type() == type && u.hourStart().equals(hour)).mapToLong(u -> u.quantity()).sum();
  }

  @Test
  void aPassLateInTheMonthWritesTheDayRecordItTouchesNotTheMonthsLedger() {
    // Day 28 of a month whose first 26 days (10 instances, traffic in and out every hour) are sealed.
    LedgerWriter.Rows rows = new LedgerWriter.Rows();
    for (int i = 0; i < 10; i++) {
      for (int h = 0; h < 26 * 24; h++) {
        Instant hour = DECEMBER.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(3_600L * h);
        rows.add(ACME, new AccountMonth.Row("i-" + i, UsageType.NETWORK_IN, null, hour, 1_000_000L + h));
        rows.add(ACME, new AccountMonth.Row("i-" + i, UsageType.NETWORK_OUT, null, hour, 2_000_000L + h));
      }
    }
    store.putAccountDaysSealedThrough(LocalDate.of(2026, 12, 26));
    new LedgerWriter(store).write(rows, Instant.parse("2026-12-27T00:00:00Z"));
    AccountMonth ledger = store.month(ACME, DECEMBER).orElseThrow();
    store.countBytes = true;
    store.ledgerWrites = 0;

    Instant noon = Instant.parse("2026-12-28T12:00:00Z");
    UsageAggregator.Pass pass = aggregator().fold(List.of(batch("1-a", nic(ms(noon, -60), 100, 7), nic(ms(noon, -50), 200, 8))), noon);

    assertThat(pass.accountDaysWritten()).isEqualTo(1);
    assertThat(pass.ledgersWritten()).isZero();
    assertThat(store.ledgerWrites).as("the month's ledger is not rewritten").isZero();
    assertThat(store.accountDayWrites).isEqualTo(1);
    assertThat(store.accountDayBytesWritten).as("one small day record").isLessThan(100);
    assertThat(StoredBytes.of(ledger)).as("what each pass rewrote before").isGreaterThan(50_000);
    assertThat(store.month(ACME, DECEMBER)).contains(ledger);
    assertThat(billed(UsageType.NETWORK_IN, Instant.parse("2026-12-28T11:00:00Z"))).isEqualTo(300);
    assertThat(billed(UsageType.NETWORK_IN, Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo(1_000_000L * 10);
  }

  @Test
  void aDayIsSealedIntoItsLedgerADayAfterItEndsItsRecordDeletedAndTheBillReadsTheSame() {
    UsageAggregator aggregator = aggregator();
    aggregator.fold(List.of(batch("1-a", nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 3_610), 50, 1_000_003))), TEN.plusSeconds(7_200));
    assertThat(store.months).as("the day's rows are in its day record").isEmpty();
    assertThat(store.accountDay(ACME, SIXTH)).isPresent();
    Bill before = bill();
    assertThat(before.report().rows()).hasSize(4);

    // The day ended at midnight; a day later it is sealed, by the hourly maintenance.
    assertThat(aggregator.fold(List.of(), Instant.parse("2026-12-07T23:30:00Z")).accountDaysSealed()).isZero();
    assertThat(bill().sameAs(before)).isTrue();
    UsageAggregator.Pass sealing = aggregator.fold(List.of(), Instant.parse("2026-12-08T00:30:00Z"));

    assertThat(sealing.accountDaysSealed()).isEqualTo(1);
    assertThat(store.accountDays).isEmpty();
    assertThat(store.accountDaysSealedThrough()).contains(SIXTH);
    assertThat(store.month(ACME, DECEMBER).orElseThrow().rows()).hasSize(4);
    assertThat(bill().sameAs(before)).as("the same bill to the last digit").isTrue();

    // A sample of the sealed day arriving now goes to the ledger, as every late sample did before.
    UsageAggregator.Pass late = aggregator.fold(List.of(batch("2-b", nic(ms(TEN, 20), 1, 1))), Instant.parse("2026-12-08T00:31:00Z"));
    assertThat(late.ledgersWritten()).isEqualTo(1);
    assertThat(late.accountDaysWritten()).isZero();
    assertThat(store.accountDays).isEmpty();
    assertThat(billed(UsageType.NETWORK_IN, TEN)).isEqualTo(101);
    // Sealing again (the next hour's run) finds nothing and changes nothing.
    AccountMonth sealed = store.month(ACME, DECEMBER).orElseThrow();
    assertThat(aggregator.fold(List.of(), Instant.parse("2026-12-08T01:31:00Z")).accountDaysSealed()).isZero();
    assertThat(store.month(ACME, DECEMBER)).contains(sealed);
  }

  @Test
  void aHolderThatDiesBetweenTheSealsLedgerWriteAndItsDeletesLeavesTheSameBillAndTheNextSealFinishes() {
    aggregator().fold(List.of(batch("1-a", nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 3_610), 50, 9))), TEN.plusSeconds(7_200));
    Bill before = bill();

    store.failAccountDayDeletes = true;
    assertThatThrownBy(() -> aggregator().fold(List.of(), Instant.parse("2026-12-08T00:30:00Z"))).isInstanceOf(IllegalStateException.class);
    assertThat(store.month(ACME, DECEMBER)).as("the ledger was written").isPresent();
    assertThat(store.accountDay(ACME, SIXTH)).as("its day record was not deleted").isPresent();
    assertThat(store.accountDaysSealedThrough()).as("nor the mark moved (the first pass sealed through the 4th)")
        .contains(LocalDate.of(2026, 12, 4));
    assertThat(bill().sameAs(before)).as("rows in both places count once").isTrue();
    AccountMonth halfSealed = store.month(ACME, DECEMBER).orElseThrow();

    store.failAccountDayDeletes = false;
    UsageAggregator.Pass next = aggregator().fold(List.of(), Instant.parse("2026-12-08T00:35:00Z"));

    assertThat(next.accountDaysSealed()).isEqualTo(1);
    assertThat(store.month(ACME, DECEMBER)).as("sealed again: the same ledger").contains(halfSealed);
    assertThat(store.accountDays).isEmpty();
    assertThat(store.accountDaysSealedThrough()).contains(SIXTH);
    assertThat(bill().sameAs(before)).isTrue();
  }

  @Test
  void aLedgerStoredBeforeDayRecordsKeepsItsRowsOfAnOpenDayAndTheLargerRowIsBilled() {
    // An upgraded cloud: the ledger holds rows of today, there is no seal mark yet.
    Instant eleven = TEN.plusSeconds(3_600);
    store.put(new MonthIndex(DECEMBER, new TreeSet<>(List.of(ACME)), null));
    store.put(AccountMonth.empty(ACME, DECEMBER).withQuantities(List.of(
        new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, TEN, 500),
        new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, eleven, 500)), Instant.EPOCH).month());
    store.ledgerWrites = 0;
    LedgerWriter writer = new LedgerWriter(store);
    LedgerWriter.Rows rows = new LedgerWriter.Rows();
    rows.add(ACME, new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, TEN, 700));
    writer.write(rows, TEN.plusSeconds(7_200));

    assertThat(store.ledgerWrites).isZero();
    assertThat(billed(UsageType.NETWORK_IN, TEN)).isEqualTo(700);
    assertThat(billed(UsageType.NETWORK_IN, eleven)).as("the ledger's row stays").isEqualTo(500);
    assertThat(writer.stored(ACME, new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, eleven, 0))).isEqualTo(500);
    assertThat(writer.stored(ACME, new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, TEN, 0))).isEqualTo(700);
    Bill before = bill();

    // The first seal of an upgraded cloud looks back over the open months.
    aggregator().fold(List.of(), Instant.parse("2026-12-08T00:30:00Z"));

    assertThat(store.month(ACME, DECEMBER).orElseThrow().rows()).extracting(AccountMonth.Row::quantity).containsExactly(700L, 500L);
    assertThat(store.accountDays).isEmpty();
    assertThat(bill().sameAs(before)).isTrue();
  }

  @Test
  void aMonthClosesWithItsOpenDaysSealedFirstAndLaterUsageOfItIsACorrection() {
    Instant lastHour = Instant.parse("2026-11-30T23:00:00Z");
    UsageAggregator aggregator = aggregator();
    aggregator.fold(List.of(batch("1-a", nic(ms(lastHour, 10), 1_000, 0))), Instant.parse("2026-11-30T23:00:20Z"));
    assertThat(store.accountDay(ACME, LocalDate.of(2026, 11, 30))).isPresent();

    // No maintenance ran since: closing the month seals its last day itself.
    UsageAggregator.Pass closing = aggregator.fold(List.of(), Instant.parse("2026-12-03T00:00:01Z"));

    assertThat(closing.monthsClosed()).isEqualTo(1);
    AccountMonth november = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();
    assertThat(november.closed()).isTrue();
    assertThat(november.rows()).extracting(AccountMonth.Row::quantity).containsExactly(1_000L);
    assertThat(store.accountDays).isEmpty();
    UsageAggregator.Pass late = aggregator.fold(List.of(batch("2-b", nic(ms(lastHour, 20), 250, 0))), Instant.parse("2026-12-03T08:00:00Z"));
    assertThat(late.adjustments()).isEqualTo(1);
    assertThat(late.accountDaysWritten()).isZero();
    assertThat(store.month(ACME, YearMonth.of(2026, 11)).orElseThrow().rows()).isEqualTo(november.rows());
  }
}
