package dev.canopy.cloud.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.ManualTime;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseLeadershipTest {

  private static final long MS = 1_000_000L;

  private final ManualTime time = new ManualTime();
  private final AtomicLong deadline = new AtomicLong(-1);
  private final AtomicLong register = new AtomicLong();
  private final LeaseLeadership leadership = new LeaseLeadership(
      () -> deadline.get() < 0 ? OptionalLong.empty() : OptionalLong.of(deadline.get()),
      floor -> register.updateAndGet(old -> Math.max(old, floor) + 1),
      time, 500);

  @Test
  void aFreshAcquisitionMintsAndLeadsUntilTheFenceMarginBeforeTheDeadline() {
    deadline.set(time.nanoTime() + 5_000 * MS);
    leadership.acquired();
    assertThat(leadership.isLeader()).isTrue();
    assertThat(leadership.epoch()).isEqualTo(1);
    time.advance(Duration.ofNanos(4_499 * MS));
    assertThat(leadership.isLeader()).isTrue();
    time.advance(Duration.ofNanos(2 * MS));
    assertThat(leadership.isLeader()).as("inside the fence margin: no more leader work").isFalse();
    deadline.set(-1);
    leadership.lost();
    deadline.set(time.nanoTime() + 5_000 * MS);
    leadership.acquired();
    assertThat(leadership.epoch()).as("every fresh acquisition mints a new epoch").isEqualTo(2);
  }

  @Test
  void anEpochMintedTooLateIsNotUsed() {
    deadline.set(time.nanoTime() + 400 * MS); // less than the margin left when the mint returns
    leadership.acquired();
    assertThat(leadership.isLeader()).isFalse();
  }

  @Test
  void aRefusalWithANewerEpochStopsLeaderWorkAndTheNextMintGoesAboveIt() {
    deadline.set(time.nanoTime() + 5_000 * MS);
    leadership.acquired();
    leadership.newerEpochSeen(41);
    assertThat(leadership.isLeader()).isFalse();
    assertThat(leadership.needsNewEpoch()).isTrue();
    leadership.acquired();
    assertThat(leadership.epoch()).isEqualTo(42);
    assertThat(leadership.isLeader()).isTrue();
  }
}
