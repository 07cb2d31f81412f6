package dev.canopy.cloud.instancehours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.fencing.StaleEpochException;
import dev.canopy.cloud.grid.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader change on three controllers' grid members: the old holder (epoch 1) and the new one
 * (epoch 2) apply the same transitions to the fenced run-time map, as a new holder's sweep does
 * with what the old one may or may not have recorded.
 */
class RunTimesFencingTest {

  private static final Instant STARTED = Instant.parse("2026-03-10T10:00:00.250Z");
  private static final Instant STOPPED = Instant.parse("2026-03-10T11:30:00Z");
  private static final RunInterval RUNNING = RunInterval.openedAt("t3.micro", STARTED);

  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void startMembers() {
    cluster = TestCluster.start(dir, 3);
  }

  @AfterEach
  void stopMembers() {
    cluster.close();
  }

  private FencedTable<RunTime> table(int member, long epoch) {
    return FencedTable.open(cluster.member(member), RunTimes.MAP, RunTime.class, () -> epoch);
  }

  @Test
  void theSameTransitionAppliedByTwoEpochsRecordsOneInterval() {
    RunTimes oldHolder = new RunTimes(table(0, 1));
    FencedTable<RunTime> newTable = table(1, 2);
    RunTimes newHolder = new RunTimes(newTable);

    oldHolder.record("i-1", "111111111111", RUNNING);
    newHolder.record("i-1", "111111111111", RUNNING);
    assertThat(newHolder.of("i-1").orElseThrow().intervals()).containsExactly(RUNNING);
    assertThat(newTable.epochOf("i-1")).as("nothing to write: the interval was known").hasValue(1);

    newHolder.record("i-1", "111111111111", RUNNING.closedAt(STOPPED));
    newHolder.record("i-1", "111111111111", RUNNING.closedAt(STOPPED));
    assertThat(newTable.epochOf("i-1")).hasValue(2);
    // A deposed holder's other view of the same interval is news of something known: nothing to write.
    oldHolder.record("i-1", "111111111111", RUNNING.closedAt(STOPPED.plusSeconds(5)));
    // Anything it would change is refused: the new holder wrote the record.
    assertThatThrownBy(() -> oldHolder.record("i-1", "111111111111", RunInterval.openedAt("t3.micro", STOPPED.plusSeconds(60))))
        .isInstanceOf(StaleEpochException.class);
    assertThat(new RunTimes(table(2, 2)).of("i-1").orElseThrow().intervals()).containsExactly(RUNNING.closedAt(STOPPED));
  }

  @Test
  void anIntervalTheOldHolderNeverRecordedIsRecordedOnceByTheNewOne() {
    RunTimes newHolder = new RunTimes(table(1, 2));
    newHolder.record("i-2", "111111111111", RUNNING.closedAt(STOPPED));
    newHolder.record("i-2", "111111111111", RUNNING.closedAt(STOPPED));
    assertThat(new RunTimes(table(0, 2)).of("i-2").orElseThrow().intervals()).containsExactly(RUNNING.closedAt(STOPPED));
  }
}
