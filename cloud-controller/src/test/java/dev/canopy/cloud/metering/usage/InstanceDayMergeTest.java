package dev.canopy.cloud.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.BlockCodec;
import dev.canopy.cloud.metering.series.Metric;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Merging points into a day: what it keeps, when it seals an hour, and the traffic it reports. */
class InstanceDayMergeTest {

  private static final String VM = "i-1";
  private static final String MAC = "52:54:00:00:00:0a";
  private static final long TEN = Instant.parse("2026-12-06T10:00:00Z").getEpochSecond();
  private static final LocalDate DAY = LocalDate.of(2026, 12, 6);

  private static MeteredPoint rx(long second, long value) {
    return new MeteredPoint(VM, MAC, Metric.RX_BYTES, second, value);
  }

  private static MeteredPoint tx(long second, long value) {
    return new MeteredPoint(VM, MAC, Metric.TX_BYTES, second, value);
  }

  private static InstanceDay.Series series(InstanceDay day, Metric metric) {
    return day.series().stream().filter(s -> s.metric() == metric).findFirst().orElseThrow();
  }

  @Test
  void theFirstValueOfASecondStaysWhetherStoredOrOfferedTwiceInOneBatch() {
    InstanceDay day = InstanceDay.empty(VM, "acme", DAY).merge(List.of(rx(TEN + 20, 5), rx(TEN + 10, 1)), TEN + 30).day();

    InstanceDay.Merge again = day.merge(List.of(rx(TEN + 10, 99), rx(TEN + 30, 3), rx(TEN + 30, 77), rx(TEN + 40, 4)), TEN + 50);

    assertThat(again.added()).isEqualTo(2);
    assertThat(again.duplicates()).isEqualTo(2);
    SortedMap<Long, Long> points = again.day().points(series(again.day(), Metric.RX_BYTES), TEN, TEN + 3_600);
    assertThat(points).containsExactly(Map.entry(TEN + 10, 1L), Map.entry(TEN + 20, 5L), Map.entry(TEN + 30, 3L),
        Map.entry(TEN + 40, 4L));
  }

  @Test
  void theCurrentHourStaysOpenAndIsSealedByTheFirstMergeAfterItEndedWithThePointsUnchanged() {
    InstanceDay day = InstanceDay.empty(VM, "acme", DAY).merge(List.of(rx(TEN + 10, 1_000), rx(TEN + 20, 2_000)), TEN + 25).day();
    byte[] open = series(day, Metric.RX_BYTES).hours().get(TEN);
    assertThat(BlockCodec.isSealed(open)).as("the hour is still being metered").isFalse();

    InstanceDay next = day.merge(List.of(rx(TEN + 3_610, 3_000)), TEN + 3_615).day();
    SortedMap<Long, byte[]> hours = series(next, Metric.RX_BYTES).hours();
    assertThat(BlockCodec.isSealed(hours.get(TEN))).isTrue();
    assertThat(BlockCodec.isSealed(hours.get(TEN + 3_600))).isFalse();
    assertThat(next.points(series(next, Metric.RX_BYTES), TEN, TEN + 7_200)).containsExactly(
        Map.entry(TEN + 10, 1_000L), Map.entry(TEN + 20, 2_000L), Map.entry(TEN + 3_610, 3_000L));
    assertThat(BlockCodec.isSealed(InstanceDay.empty(VM, "acme", DAY).merge(List.of(rx(TEN + 10, 1))).day()
        .series().get(0).hours().get(TEN))).as("a merge without a time seals every hour").isTrue();
  }

  @Test
  void theTrafficOfTouchedHoursIsWhatTheBlocksHoldIncludingSeriesTheMergeDidNotTouch() {
    String otherMac = "52:54:00:00:00:0b";
    InstanceDay day = InstanceDay.empty(VM, "acme", DAY).merge(List.of(rx(TEN + 10, 100), tx(TEN + 10, 7),
        new MeteredPoint(VM, otherMac, Metric.RX_BYTES, TEN + 10, 50)), TEN + 15).day();

    InstanceDay.Merge merge = day.merge(List.of(rx(TEN + 20, 200), rx(TEN + 20, 999), tx(TEN + 3_610, 0)), TEN + 3_615);

    assertThat(merge.hoursTouched()).containsExactly(TEN, TEN + 3_600);
    for (long hour : merge.hoursTouched()) {
      assertThat(merge.trafficOfTouched().getOrDefault(hour, Map.of())).as("hour " + hour).isEqualTo(merge.day().trafficOfHour(hour));
    }
    assertThat(merge.trafficOfTouched().get(TEN)).containsExactlyInAnyOrderEntriesOf(
        Map.of(UsageType.NETWORK_IN, 350L, UsageType.NETWORK_OUT, 7L));
    assertThat(merge.trafficOfTouched()).as("no traffic, no row").doesNotContainKey(TEN + 3_600);
  }
}
