package dev.canopy.cloud.metering.buckets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InMemoryMeteringStore;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.cloud.metering.usage.MonthIndex;
import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.usage.BucketUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The holder's fold of bucket usage pushes into absolute ledger rows. */
class RequestFoldTest {

  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";
  private static final Instant TEN = Instant.parse("2026-11-03T10:00:00Z");

  private final ManualTime time = new ManualTime(TEN.plusSeconds(120));
  private final InMemoryTable<BucketUsageRecord> records = new InMemoryTable<>();
  private final BucketUsagePushes pushes = new BucketUsagePushes(records, time);
  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final RequestFold fold = new RequestFold(pushes, new LedgerWriter(store));

  private long quantity(String account, String bucket, UsageType type, Instant hour) {
    return store.monthWithOpenDays(account, AccountMonth.monthOf(hour)).stream().flatMap(m -> m.usage().stream())
        .filter(u -> u.resourceId().equals(bucket) && u.type() == type && u.hourStart().equals(hour))
        .mapToLong(HourlyUsage::quantity).sum();
  }

  @Test
  void nodesAndLivesAddUpAndARepeatChangesNothing() {
    pushes.store("st-1-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 3, 5, 700), new BucketUsage(BOB, "logs", 1, 0, 0)));
    pushes.store("st-2-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 1, 1, 300)));
    // st-1 restarted in the same hour: a second life, a second record.
    pushes.store("st-1-5000", TEN, List.of(new BucketUsage(ALICE, "photos", 2, 0, 0)));
    fold.fold(time.instant());

    assertThat(quantity(ALICE, "photos", UsageType.REQUESTS_TIER1, TEN)).isEqualTo(6);
    assertThat(quantity(ALICE, "photos", UsageType.REQUESTS_TIER2, TEN)).isEqualTo(6);
    assertThat(quantity(ALICE, "photos", UsageType.BUCKET_BYTES_OUT, TEN)).isEqualTo(1000);
    assertThat(quantity(BOB, "logs", UsageType.REQUESTS_TIER1, TEN)).isEqualTo(1);
    assertThat(quantity(ALICE, "logs", UsageType.REQUESTS_TIER1, TEN)).as("Bob's bucket is on Bob's bill only").isZero();
    assertThat(store.monthWithOpenDays(BOB, YearMonth.of(2026, 11)).orElseThrow().usage()).extracting(HourlyUsage::type)
        .containsExactly(UsageType.REQUESTS_TIER1); // no rows of zero

    // A resend of the same absolute counts, and a later push that replaces one life's record.
    pushes.store("st-2-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 1, 1, 300)));
    RequestFold.Pass again = fold.fold(time.instant());
    assertThat(again.written().ledgers()).as("nothing changed").isZero();
    pushes.store("st-2-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 4, 1, 300)));
    fold.fold(time.instant());
    assertThat(quantity(ALICE, "photos", UsageType.REQUESTS_TIER1, TEN)).isEqualTo(9);
  }

  @Test
  void recordsLeaveTwoHoursAfterTheirHourOnceFoldedAndRowsNeverShrinkAfter() {
    pushes.store("st-1-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 3, 0, 0)));
    pushes.store("st-2-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 2, 0, 0)));
    time.advance(Duration.ofMinutes(170)); // 12:52: the hour ended 1 h 52 min ago
    assertThat(fold.fold(time.instant()).removed()).isZero();
    assertThat(records.size()).isEqualTo(2);

    time.advance(Duration.ofMinutes(10)); // 13:02
    RequestFold.Pass pass = fold.fold(time.instant());
    assertThat(pass.removed()).isEqualTo(2);
    assertThat(pass.late()).isZero();
    assertThat(records.size()).isZero();
    assertThat(quantity(ALICE, "photos", UsageType.REQUESTS_TIER1, TEN)).isEqualTo(5);

    // A node cut off for hours pushes at last: the row is not lowered to its count alone.
    pushes.store("st-3-1000", TEN, List.of(new BucketUsage(ALICE, "photos", 1, 0, 0)));
    RequestFold.Pass late = fold.fold(time.instant());
    assertThat(late.late()).isEqualTo(1);
    assertThat(quantity(ALICE, "photos", UsageType.REQUESTS_TIER1, TEN)).isEqualTo(5);
    assertThat(records.size()).isZero();
  }

  @Test
  void aClosedMonthGetsAnAdjustment() {
    Instant lastHourOfOctober = Instant.parse("2026-10-31T23:00:00Z");
    YearMonth october = YearMonth.of(2026, 10);
    store.put(new MonthIndex(october, new java.util.TreeSet<>(List.of(ALICE)), TEN));
    store.put(AccountMonth.empty(ALICE, october).close(TEN));
    pushes.store("st-1-1000", lastHourOfOctober, List.of(new BucketUsage(ALICE, "photos", 7, 0, 0)));
    time.advance(Duration.ofMinutes(1));
    fold.fold(time.instant());

    AccountMonth ledger = store.month(ALICE, october).orElseThrow();
    assertThat(ledger.rows()).as("a closed month's rows never change").isEmpty();
    assertThat(ledger.adjustments()).singleElement().satisfies(a -> {
      assertThat(a.delta()).isEqualTo(7);
      assertThat(a.type()).isEqualTo(UsageType.REQUESTS_TIER1);
      assertThat(a.resourceId()).isEqualTo("photos");
    });
    assertThat(ledger.correctionsRecordedIn(YearMonth.of(2026, 11))).hasSize(1);
  }
}
