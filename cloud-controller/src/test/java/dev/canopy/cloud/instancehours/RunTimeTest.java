package dev.canopy.cloud.instancehours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule that adds a transition to an instance's run time: idempotent, deaf to stale news. */
class RunTimeTest {

  private static final Instant T1 = Instant.parse("2026-03-10T10:00:00.250Z");
  private static final Instant T2 = Instant.parse("2026-03-10T11:30:00Z");
  private static final Instant T3 = Instant.parse("2026-03-10T12:00:00Z");
  private static final Instant T4 = Instant.parse("2026-03-10T12:10:00Z");

  private static RunTime empty() {
    return new RunTime("i-1", "111111111111", List.of());
  }

  private static RunInterval open(Instant at) {
    return RunInterval.openedAt("t3.micro", at);
  }

  @Test
  void enteringRunningOpensAnIntervalOnceAndLeavingClosesItOnce() {
    RunTime opened = empty().with(open(T1));
    assertThat(opened.intervals()).containsExactly(open(T1));
    assertThat(opened.with(open(T1))).as("the same transition again").isSameAs(opened);
    RunTime closed = opened.with(open(T1).closedAt(T2));
    assertThat(closed.intervals()).containsExactly(open(T1).closedAt(T2));
    assertThat(closed.with(open(T1).closedAt(T2))).isSameAs(closed);
  }

  @Test
  void olderNewsChangesNothing() {
    RunTime closed = empty().with(open(T1).closedAt(T2));
    assertThat(closed.with(open(T1))).as("the opening after the closing").isSameAs(closed);
    RunTime again = closed.with(open(T3));
    assertThat(again.with(open(T1).closedAt(T2))).isSameAs(again);
    assertThat(again.with(open(T1))).isSameAs(again);
    assertThat(again.intervals()).containsExactly(open(T1).closedAt(T2), open(T3));
  }

  @Test
  void aRestartAtTheInstantItStoppedIsANewInterval() {
    RunTime restarted = empty().with(open(T1).closedAt(T2)).with(open(T2));
    assertThat(restarted.intervals()).containsExactly(open(T1).closedAt(T2), open(T2));
  }

  @Test
  void aClosingThatWasNeverRecordedEndsTheOpenIntervalWhereTheNextOneStarts() {
    RunTime missedTheStop = empty().with(open(T1)).with(RunInterval.openedAt("t3.small", T3));
    assertThat(missedTheStop.intervals()).containsExactly(open(T1).closedAt(T3), RunInterval.openedAt("t3.small", T3));
  }

  @Test
  void aWholeIntervalWhoseOpeningWasNeverRecordedIsRecordedAtOnce() {
    RunTime known = empty().with(open(T1).closedAt(T2)).with(open(T3).closedAt(T4));
    assertThat(known.intervals()).containsExactly(open(T1).closedAt(T2), open(T3).closedAt(T4));
  }

  @Test
  void pruningDropsOnlyIntervalsEndedBeforeTheCutoff() {
    RunTime known = empty().with(open(T1).closedAt(T2)).with(open(T3));
    assertThat(known.withoutEndedBefore(T2)).isSameAs(known);
    assertThat(known.withoutEndedBefore(T4).intervals()).containsExactly(open(T3));
  }

  @Test
  void overlappingIntervalsAreRefused() {
    assertThatThrownBy(() -> new RunTime("i-1", "111111111111", List.of(open(T1).closedAt(T3), open(T2).closedAt(T4))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunTime("i-1", "111111111111", List.of(open(T1), open(T2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunInterval("t3.micro", T2, T1)).isInstanceOf(IllegalArgumentException.class);
  }
}
