package dev.canopy.cloud.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A line's sums are the plain per-period sums of its points, whatever order they come in. */
class PeriodSumsTest {

  @Test
  void pointsInAnyOrderSumAsAMapOfPeriodsWould() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      Step step = Step.values()[random.nextInt(Step.values().length)];
      List<long[]> points = new ArrayList<>();
      long second = 1_800_000_000L + random.nextInt(100_000);
      for (int i = random.nextInt(2_000); i > 0; i--) {
        second += 1 + random.nextInt(30);
        points.add(new long[] {second, random.nextInt(1_000_000)});
      }
      // Mostly oldest first, as stored days are read; some rounds shuffled as late batches come.
      if (round % 3 == 0) {
        Collections.shuffle(points, random);
      } else if (round % 3 == 1 && points.size() > 10) {
        points.addAll(points.subList(0, 5).stream().map(p -> new long[] {p[0], 1}).toList());
      }
      TreeMap<Long, Long> expected = new TreeMap<>();
      // Half the rounds with arrays sized up front (too small here, so they still grow).
      PeriodSums sums = round % 2 == 0 ? new PeriodSums(step) : new PeriodSums(step, points.size() / 4);
      for (long[] p : points) {
        expected.merge(step.periodStart(p[0]), p[1], Math::addExact);
        sums.add(p[0], p[1]);
      }
      PeriodSeries series = sums.series();
      assertThat(series.asMap()).as("round %d at %s", round, step).isEqualTo(expected);
      assertThat(series.size()).isEqualTo(expected.size());
      for (int i = 1; i < series.size(); i++) {
        assertThat(series.start(i)).isGreaterThan(series.start(i - 1));
      }
    }
  }

  @Test
  void aSumPastSixtyFourBitsIsRefusedRatherThanWrapped() {
    PeriodSums sums = new PeriodSums(Step.HOUR);
    sums.add(3_600, Long.MAX_VALUE);
    assertThatThrownBy(() -> sums.add(3_599, 1)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void anEmptyLineHasNoPeriods() {
    assertThat(new PeriodSums(Step.MINUTE).series().size()).isZero();
    assertThat(new PeriodSums(Step.MINUTE).series()).isEqualTo(PeriodSeries.empty());
  }
}
