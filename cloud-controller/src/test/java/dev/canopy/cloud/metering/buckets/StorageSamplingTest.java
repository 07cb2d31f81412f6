package dev.canopy.cloud.metering.buckets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InMemoryMeteringStore;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.s3.BucketRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Byte-hours: the latest measurement of an hour is its row, missed hours are filled from the previous one, at most a day back. */
class StorageSamplingTest {

  private static final String ALICE = "111111111111";
  private static final Instant TEN = Instant.parse("2026-11-03T10:00:00Z");
  private static final BucketRecord PHOTOS = new BucketRecord("photos", ALICE, TEN.minusSeconds(86_400 * 3), "canopy-1", "b_0123");

  private final ManualTime time = new ManualTime(TEN.plusSeconds(60));
  private final InMemoryTable<StorageMeasurement> measurements = new InMemoryTable<>();
  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final List<BucketRecord> buckets = new ArrayList<>(List.of(PHOTOS));
  private final Map<String, Long> stored = new HashMap<>(Map.of("b_0123", 1_000L));
  private boolean storageDown;

  private StorageSampling sampling(Duration interval) {
    return new StorageSampling(measurements, () -> List.copyOf(buckets), id -> {
      if (storageDown) {
        throw new StoreException("no storage node answered", null, true);
      }
      return stored.getOrDefault(id, 0L);
    }, new LedgerWriter(store), interval);
  }

  private Map<Instant, Long> byteHours() {
    Map<Instant, Long> rows = new TreeMap<>();
    for (AccountMonth m : List.of(store.monthWithOpenDays(ALICE, AccountMonth.monthOf(TEN)).orElse(AccountMonth.empty(ALICE, AccountMonth.monthOf(TEN))))) {
      for (HourlyUsage u : m.usage()) {
        if (u.type() == UsageType.STORAGE_BYTE_HOURS && u.resourceId().equals("photos")) {
          rows.put(u.hourStart(), u.quantity());
        }
      }
    }
    return rows;
  }

  @Test
  void anHourIsBilledAtItsLatestMeasurement() {
    StorageSampling sampling = sampling(Duration.ofMinutes(10));
    assertThat(sampling.sampleIfDue(time.instant())).as("the first pass measures").isPresent();
    assertThat(byteHours()).containsExactly(Map.entry(TEN, 1_000L));

    stored.put("b_0123", 5_000L);
    time.advance(Duration.ofMinutes(5));
    assertThat(sampling.sampleIfDue(time.instant())).as("not due yet").isEmpty();
    time.advance(Duration.ofMinutes(5));
    assertThat(sampling.sampleIfDue(time.instant())).isPresent();
    assertThat(byteHours()).containsExactly(Map.entry(TEN, 5_000L));

    stored.put("b_0123", 2_000L);
    time.advance(Duration.ofMinutes(48)); // 10:59
    sampling.sampleIfDue(time.instant());
    time.advance(Duration.ofMinutes(2)); // 11:01: a new hour is measured at once
    assertThat(sampling.sampleIfDue(time.instant())).isPresent();
    assertThat(byteHours()).containsExactly(Map.entry(TEN, 2_000L), Map.entry(TEN.plusSeconds(3600), 2_000L));
  }

  @Test
  void missedHoursAreFilledWithThePreviousMeasurementAtMostADayBack() {
    sampling(Duration.ofMinutes(60)).sampleIfDue(time.instant());
    // No holder for three hours; a new one measures at 13:30.
    time.advance(Duration.ofMinutes(209));
    stored.put("b_0123", 4_000L);
    sampling(Duration.ofMinutes(60)).sampleIfDue(time.instant());
    assertThat(byteHours()).containsExactly(
        Map.entry(TEN, 1_000L), Map.entry(TEN.plusSeconds(3600), 1_000L), Map.entry(TEN.plusSeconds(7200), 1_000L),
        Map.entry(TEN.plusSeconds(10_800), 4_000L));

    // Two days without a holder: only the last 24 hours before the measurement are filled.
    time.advance(Duration.ofHours(48));
    sampling(Duration.ofMinutes(60)).sampleIfDue(time.instant());
    Instant now = time.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    Map<Instant, Long> rows = byteHours();
    assertThat(rows).containsEntry(now, 4_000L).containsEntry(now.minus(Duration.ofHours(24)), 4_000L)
        .doesNotContainKey(now.minus(Duration.ofHours(25)));
    assertThat(rows).hasSize(4 + 25);
  }

  @Test
  void aBucketNoNodeCouldMeasureIsTriedAgainAndADeletedOneIsForgotten() {
    StorageSampling sampling = sampling(Duration.ofMinutes(60));
    storageDown = true;
    assertThat(sampling.sampleIfDue(time.instant()).orElseThrow().failed()).isEqualTo(1);
    assertThat(byteHours()).isEmpty();
    storageDown = false;
    time.advance(Duration.ofSeconds(5));
    assertThat(sampling.sampleIfDue(time.instant()).orElseThrow().measured()).as("retried at the next pass").isEqualTo(1);
    assertThat(byteHours()).containsExactly(Map.entry(TEN, 1_000L));
    assertThat(measurements.get("b_0123")).isPresent();

    buckets.clear();
    time.advance(Duration.ofHours(1));
    sampling.sampleIfDue(time.instant());
    assertThat(measurements.get("b_0123")).as("a deleted bucket's measurement goes").isEmpty();
    assertThat(byteHours()).doesNotContainKey(TEN.plusSeconds(3600));
  }
}
