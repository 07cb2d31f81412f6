package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RollupsTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void pointsMinutesHoursAndDaysSumToTheSameBytes(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int count = 20_000 + random.nextInt(20_000); // two to five days of 10-second points, with gaps
    long[] seconds = new long[count];
    long[] values = new long[count];
    seconds[0] = 1_700_000_000L + random.nextInt(86_400);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        seconds[i] = seconds[i - 1] + (random.nextInt(10) == 0 ? 10 + random.nextInt(600) : 10);
      }
      // Up to 2^40 per point: busy 100 Gbit/s links, far past what a double's 53 bits keep exactly in a sum.
      values[i] = random.nextLong(1L << 40);
    }
    SeriesPoints points = new SeriesPoints(seconds, values);

    long total = Rollups.total(points);

    assertThat(sum(Rollups.sums(points, Resolution.MINUTE))).isEqualTo(total);
    assertThat(sum(Rollups.sums(points, Resolution.HOUR))).isEqualTo(total);
    assertThat(sum(Rollups.sums(points, Resolution.DAY))).isEqualTo(total);
    SortedMap<Long, Long> hours = Rollups.sums(points, Resolution.HOUR);
    Rollups.sums(points, Resolution.DAY).forEach((day, daySum) ->
        assertThat(sum(hours.subMap(day, day + 86_400))).isEqualTo(daySum));
  }

  @Test
  void aPointOnTheHourCountsInTheHourItEnds() {
    long midnight = 1_700_006_400L; // 2023-11-15T00:00:00Z, a multiple of 3,600
    SeriesPoints points = new SeriesPoints(new long[] {midnight - 10, midnight, midnight + 10}, new long[] {1, 2, 4});

    assertThat(Rollups.sums(points, Resolution.HOUR)).containsExactly(Map.entry(midnight - 3600, 3L), Map.entry(midnight, 4L));
  }

  @Test
  void anOverflowingSumThrowsRatherThanWraps() {
    SeriesPoints points = new SeriesPoints(new long[] {10, 20}, new long[] {Long.MAX_VALUE, 1});

    assertThatThrownBy(() -> Rollups.total(points)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Rollups.sums(points, Resolution.DAY)).isInstanceOf(ArithmeticException.class);
  }

  private static long sum(Map<Long, Long> sums) {
    return sums.values().stream().mapToLong(Long::longValue).reduce(0, Math::addExact);
  }
}
