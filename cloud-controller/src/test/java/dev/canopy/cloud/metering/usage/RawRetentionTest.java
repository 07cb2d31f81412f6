package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.VM;
import static dev.canopy.cloud.metering.usage.Batches.batch;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.Metric;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw points are kept 30 days; then a day holds per-minute sums, with the same hours and totals. */
class RawRetentionTest {

  private static final Instant NOON = Instant.parse("2026-11-01T12:00:00Z");
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 1);

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final UsageAggregator aggregator = new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS);

  @Test
  void aDayPastTheRetentionIsRolledUpToMinutesWithTheSameHoursAndTotals() {
    List<ObjectNode> readings = new ArrayList<>();
    long total = 0;
    for (long s = 10; s <= 7200; s += 10) {
      readings.add(nic(NOON.plusSeconds(s).toEpochMilli(), s, 1));
      total += s;
    }
    aggregator.fold(List.of(batch("1-a", readings.toArray(ObjectNode[]::new))), NOON.plusSeconds(7300));
    InstanceDay raw = store.day(VM, FIRST).orElseThrow();

    // 31 days later, the next pass rolls the day up.
    UsageAggregator.Pass pass = aggregator.fold(List.of(), Instant.parse("2026-12-02T12:00:00Z"));

    assertThat(pass.daysRolledUp()).isEqualTo(1);
    InstanceDay rolled = store.day(VM, FIRST).orElseThrow();
    assertThat(rolled.isRolledUp()).isTrue();
    InstanceDay.Series rx = rolled.series().stream().filter(s -> s.metric() == Metric.RX_BYTES).findFirst().orElseThrow();
    var minutes = rolled.points(rx, 0, Long.MAX_VALUE);
    assertThat(minutes).hasSize(120);
    assertThat(minutes.firstKey()).isEqualTo(NOON.plusSeconds(60).getEpochSecond());
    assertThat(minutes.get(NOON.plusSeconds(60).getEpochSecond())).isEqualTo(10 + 20 + 30 + 40 + 50 + 60);
    assertThat(minutes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    for (long hour : List.of(NOON.getEpochSecond(), NOON.getEpochSecond() + 3600)) {
      assertThat(rolled.trafficOfHour(hour)).isEqualTo(raw.trafficOfHour(hour));
    }
    assertThat(store.instance(VM).orElseThrow().rolledUpThrough()).isEqualTo(FIRST);
    // Within the hour nothing is looked at again.
    assertThat(aggregator.fold(List.of(), Instant.parse("2026-12-02T12:30:00Z")).daysRolledUp()).isZero();
  }

  @Test
  void aReadingOlderThanTheRetentionIsDroppedAndNeitherBilledNorMerged() {
    aggregator.fold(List.of(batch("1-a", nic(NOON.plusSeconds(10).toEpochMilli(), 100, 1))), NOON.plusSeconds(20));
    aggregator.fold(List.of(), Instant.parse("2026-12-02T12:00:00Z"));
    AccountMonth november = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();

    // An agent back after five weeks replays that reading and one beside it.
    UsageAggregator.Pass pass = aggregator.fold(List.of(batch("1-a", nic(NOON.plusSeconds(10).toEpochMilli(), 100, 1),
        nic(NOON.plusSeconds(20).toEpochMilli(), 50, 1))), Instant.parse("2026-12-06T00:00:00Z"));

    assertThat(pass.beyondRetention()).isEqualTo(8);
    AccountMonth after = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();
    assertThat(after.rows()).isEqualTo(november.rows());
    assertThat(after.adjustments()).isEmpty();
    assertThat(november.rows()).filteredOn(r -> r.type() == UsageType.NETWORK_IN)
        .extracting(AccountMonth.Row::quantity).containsExactly(100L);
  }
}
