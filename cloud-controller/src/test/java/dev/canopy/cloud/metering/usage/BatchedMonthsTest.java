package dev.canopy.cloud.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.LocalStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many accounts' months read in batches ({@link StoredUsage#months}, RocksDB multi-gets under the
 * real store) give exactly what reading each account's records one by one gives: the ledger with
 * its open days' rows, the month's closed flag and the corrections recorded in it in the twelve
 * months before, on random accounts (some with no ledger, some with open days, some corrected).
 */
class BatchedMonthsTest {

  private static final YearMonth MONTH = YearMonth.of(2026, 11);

  @TempDir Path dir;
  private LocalStore local;
  private SystemMeteringStore store;

  @BeforeEach
  void open() {
    local = LocalStore.open(dir.resolve("store"));
    local.put(EpochMint.MAP, EpochMint.KEY, "{\"epoch\":1}".getBytes(StandardCharsets.UTF_8));
    store = new SystemMeteringStore(new EpochFencedStore(local, EpochMint.MAP, EpochMint.KEY, SystemMeteringStore.NAMESPACES), () -> 1);
  }

  @AfterEach
  void close() {
    local.close();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void batchedMonthsAreTheMonthsReadOneByOne(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> accounts = new ArrayList<>();
    for (int a = 0; a < 150; a++) {
      accounts.add(String.format("%012d", a));
    }
    // Days through the 20th sealed into the ledgers; later days' rows still in day records.
    LocalDate sealedThrough = MONTH.atDay(20);
    store.putAccountDaysSealedThrough(sealedThrough);
    // One synced write for all, not one per record.
    MeteringWrites writes = new MeteringWrites();
    for (String account : accounts) {
      int kind = random.nextInt(4);
      if (kind != 0) {
        writes.add(AccountMonth.empty(account, MONTH).withQuantities(rows(random, account, MONTH.atDay(1), 20), Instant.EPOCH).month());
      }
      if (kind == 2 || random.nextInt(3) == 0) {
        for (int d = 21; d <= 23; d++) {
          LocalDate day = MONTH.atDay(d);
          writes.add(AccountDay.empty(account, day).withQuantities(rows(random, account, day, 1)).day());
        }
      }
      if (random.nextInt(3) == 0) {
        YearMonth earlier = MONTH.minusMonths(1 + random.nextInt(13));
        writes.add(corrected(random, account, earlier));
      }
    }
    store.putAll(writes);
    // Closed: an account with neither ledger nor day record reads as closed from the index.
    store.put(new MonthIndex(MONTH, new TreeSet<>(accounts), random.nextBoolean() ? Instant.parse("2026-12-03T00:00:00Z") : null));
    StoredUsage usage = Batches.usage(store);

    List<MonthUsage> batched = usage.months(accounts, MONTH);

    List<MonthUsage> oneByOne = accounts.stream().map(account -> readOneByOne(store, account, MONTH)).toList();
    assertThat(batched).containsExactlyElementsOf(oneByOne);
    assertThat(batched).as("the data exercise every part").anySatisfy(m -> assertThat(m.corrections()).isNotEmpty())
        .anySatisfy(m -> assertThat(m.usage()).isEmpty())
        .anySatisfy(m -> assertThat(m.usage()).anySatisfy(u -> assertThat(u.hourStart()).isAfter(sealedThrough.atStartOfDay(ZoneOffset.UTC).toInstant())));
    assertThat(usage.month(accounts.get(7), MONTH)).isEqualTo(oneByOne.get(7));
  }

  /** Hourly rows of {@code days} days from {@code first}: instance-seconds and traffic of one or two instances. */
  private static List<AccountMonth.Row> rows(SplittableRandom random, String account, LocalDate first, int days) {
    List<AccountMonth.Row> rows = new ArrayList<>();
    Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
    int instances = 1 + random.nextInt(2);
    for (int h = 0; h < days * 24; h++) {
      if (random.nextInt(4) == 0) {
        continue;
      }
      Instant hour = start.plusSeconds(3_600L * h);
      String instance = "i-" + account + "-" + random.nextInt(instances);
      rows.add(new AccountMonth.Row(instance, UsageType.INSTANCE_SECONDS, "m1.small", hour, 1 + random.nextInt(3_600)));
      rows.add(new AccountMonth.Row(instance, UsageType.NETWORK_OUT, null, hour, random.nextLong(1L << 40)));
    }
    return rows;
  }

  /** A closed month whose hour grew later: an adjustment recorded in a random month, often {@link #MONTH}. */
  private static AccountMonth corrected(SplittableRandom random, String account, YearMonth earlier) {
    Instant hour = earlier.atDay(5).atStartOfDay(ZoneOffset.UTC).toInstant();
    AccountMonth closed = AccountMonth.empty(account, earlier)
        .withQuantities(List.of(new AccountMonth.Row("i-" + account, UsageType.NETWORK_IN, null, hour, 10)), Instant.EPOCH).month()
        .close(earlier.plusMonths(1).atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant());
    YearMonth noticedIn = random.nextInt(3) == 0 ? earlier.plusMonths(1) : MONTH;
    Instant noticed = noticedIn.atDay(1 + random.nextInt(28)).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (noticed.isBefore(closed.closedAt())) {
      noticed = closed.closedAt();
    }
    return closed.withQuantities(List.of(new AccountMonth.Row("i-" + account, UsageType.NETWORK_IN, null, hour,
        10 + 1 + random.nextInt(1_000))), noticed).month();
  }

  /** The month as read before batching: every record of the account read on its own. */
  private static MonthUsage readOneByOne(MeteringStore store, String account, YearMonth month) {
    LocalDate sealed = store.accountDaysSealedThrough().orElse(null);
    LocalDate first = sealed == null || sealed.isBefore(month.atDay(1)) ? month.atDay(1) : sealed.plusDays(1);
    List<AccountDay> open = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
      store.accountDay(account, day).ifPresent(open::add);
    }
    Optional<AccountMonth> stored = store.month(account, month);
    Optional<AccountMonth> ledger = stored.isEmpty() && open.isEmpty() ? Optional.empty()
        : Optional.of(stored.orElseGet(() -> AccountMonth.empty(account, month)).withDays(open));
    List<MonthUsage.Correction> corrections = new ArrayList<>();
    for (int back = 12; back >= 1; back--) {
      store.month(account, month.minusMonths(back)).ifPresent(earlier -> corrections.addAll(earlier.correctionsRecordedIn(month)));
    }
    boolean closed = ledger.map(AccountMonth::closed)
        .orElseGet(() -> store.monthIndex(month).map(i -> i.closedAt() != null).orElse(false));
    return new MonthUsage(account, month, closed, ledger.map(AccountMonth::usage).orElse(List.of()), corrections);
  }
}
