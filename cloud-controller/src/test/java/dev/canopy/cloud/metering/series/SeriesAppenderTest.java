package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.metering.series.SeriesAppender.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesAppenderTest {

  private static final long HOUR = 1_700_000_000L / 3600 * 3600;

  private final List<SealedBlock> sealed = new ArrayList<>();
  private final SeriesAppender appender = new SeriesAppender(9, BlockPolicy.HOURLY_TEN_SECOND, sealed::add);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void pointsInAnyOrderWithinTheWindowSealInTimeOrder(long seed) {
    long[] seconds = LongStream.range(0, 360).map(i -> HOUR + 10 * i).toArray();
    for (int i : RandomSeries.shuffledOrder(360, seed)) {
      appender.offer(seconds[i], seconds[i] * 3);
    }

    assertThat(sealed).hasSize(1);
    SeriesPoints points = BlockCodec.decode(sealed.get(0).bytes()).points();
    assertThat(points.seconds()).containsExactly(seconds);
    assertThat(points.values()).containsExactly(LongStream.of(seconds).map(s -> s * 3).toArray());
  }

  @Test
  void aLatePointIsInsertedAtItsPlace() {
    assertThat(appender.offer(HOUR + 10, 1)).isEqualTo(Outcome.APPENDED);
    assertThat(appender.offer(HOUR + 30, 3)).isEqualTo(Outcome.APPENDED);
    assertThat(appender.offer(HOUR + 20, 2)).isEqualTo(Outcome.INSERTED_LATE);
    appender.flush();

    assertThat(BlockCodec.decode(sealed.get(0).bytes()).points())
        .isEqualTo(new SeriesPoints(new long[] {HOUR + 10, HOUR + 20, HOUR + 30}, new long[] {1, 2, 3}));
  }

  @Test
  void aDuplicateSecondCountsOnceAndTheFirstValueWins() {
    appender.offer(HOUR + 10, 100);
    appender.offer(HOUR + 20, 200);

    assertThat(appender.offer(HOUR + 10, 999)).isEqualTo(Outcome.DUPLICATE);
    assertThat(appender.offer(HOUR + 20, 200)).isEqualTo(Outcome.DUPLICATE);
    appender.flush();

    assertThat(BlockCodec.decode(sealed.get(0).bytes()).points().values()).containsExactly(100, 200);
  }

  @Test
  void aPointPastTheWindowSealsTheBlockAndAPointForItIsThenTooLate() {
    appender.offer(HOUR + 3590, 1);
    appender.offer(HOUR + 3600, 2); // block windows are [start, end): 3600 opens the next one

    assertThat(sealed).singleElement().satisfies(b -> {
      assertThat(b.firstSecond()).isEqualTo(HOUR + 3590);
      assertThat(b.points()).isEqualTo(1);
    });
    assertThat(appender.offer(HOUR + 3580, 5)).isEqualTo(Outcome.TOO_LATE);
    assertThat(appender.openPoints()).isEqualTo(1);
  }

  @Test
  void aBlockSealsAtItsPointLimitAndLaterPointsOfTheWindowStartANewOne() {
    SeriesAppender small = new SeriesAppender(1, new BlockPolicy(3, 3600), sealed::add);
    for (long i = 1; i <= 5; i++) {
      small.offer(HOUR + i, i);
    }

    assertThat(sealed).singleElement().satisfies(b -> assertThat(b.lastSecond()).isEqualTo(HOUR + 3));
    assertThat(small.offer(HOUR + 2, 9)).isEqualTo(Outcome.TOO_LATE);
    assertThat(small.openPoints()).isEqualTo(2);
  }

  @Test
  void aPointBeforeTheOpenWindowIsTooLateNotMerged() {
    appender.offer(HOUR + 10, 1);

    assertThat(appender.offer(HOUR - 10, 1)).isEqualTo(Outcome.TOO_LATE);
    assertThat(appender.openPoints()).isEqualTo(1);
  }
}
