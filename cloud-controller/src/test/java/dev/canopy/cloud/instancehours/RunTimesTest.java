package dev.canopy.cloud.instancehours;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.InMemoryTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Run times in a table: recorded once, and pruned only long after an interval ended. */
class RunTimesTest {

  private static final Instant NOW = Instant.parse("2027-06-01T12:00:00Z");
  private static final String ALICE = "111111111111";

  private final InMemoryTable<RunTime> table = new InMemoryTable<>();
  private final RunTimes runTimes = new RunTimes(table);

  private static RunInterval endedDaysAgo(long days) {
    Instant end = NOW.minus(Duration.ofDays(days));
    return new RunInterval("t3.micro", end.minus(Duration.ofHours(5)), end);
  }

  @Test
  void intervalsEndedLongerAgoThanKeptArePrunedAndAnEmptyRecordGoes() {
    runTimes.record("i-gone", ALICE, endedDaysAgo(401));
    runTimes.record("i-old", ALICE, endedDaysAgo(401));
    runTimes.record("i-old", ALICE, RunInterval.openedAt("t3.small", NOW.minus(Duration.ofDays(2))));
    runTimes.record("i-kept", ALICE, endedDaysAgo(399));

    assertThat(runTimes.pruneWhenDue(NOW)).isEqualTo(2);
    assertThat(runTimes.of("i-gone")).isEmpty();
    assertThat(runTimes.of("i-old").orElseThrow().intervals())
        .containsExactly(RunInterval.openedAt("t3.small", NOW.minus(Duration.ofDays(2))));
    assertThat(runTimes.of("i-kept").orElseThrow().intervals()).containsExactly(endedDaysAgo(399));
  }

  @Test
  void pruningRunsAtMostOncePerInterval() {
    assertThat(runTimes.pruneWhenDue(NOW)).isZero();
    runTimes.record("i-gone", ALICE, endedDaysAgo(500));
    assertThat(runTimes.pruneWhenDue(NOW.plus(Duration.ofMinutes(59)))).as("not due yet").isZero();
    assertThat(runTimes.pruneWhenDue(NOW.plus(RunTimes.PRUNE_INTERVAL))).isEqualTo(1);
    assertThat(table.size()).isZero();
  }

  @Test
  void recordingTheSameIntervalTwiceKeepsOne() {
    RunInterval running = RunInterval.openedAt("t3.micro", NOW);
    runTimes.record("i-1", ALICE, running);
    runTimes.record("i-1", ALICE, running);
    assertThat(runTimes.of("i-1")).contains(RunTime.first("i-1", ALICE, running));
  }
}
