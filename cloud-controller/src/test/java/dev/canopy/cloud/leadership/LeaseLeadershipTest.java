package dev.canopy.cloud.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseLeadershipTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final AtomicLong deadline = new AtomicLong(-1);
  private final AtomicLong register = new AtomicLong();
  private final LeaseLeadership leadership = new LeaseLeadership(
      () -> deadline.get() < 0 ? OptionalLong.empty() : OptionalLong.of(deadline.get()),
      floor -> register.updateAndGet(old -> Math.max(old, floor) + 1),
      now::get, 500);

  @Test
  void aFreshAcquisitionMintsAndLeadsUntilTheFenceMarginBeforeTheDeadline() {
    deadline.set(now.get() + 5_000 * MS);
    leadership.acquired();
    assertThat(leadership.isLeader()).isTrue();
    assertThat(leadership.epoch()).isEqualTo(1);
    now.addAndGet(4_499 * MS);
    assertThat(leadership.isLeader()).isTrue();
    now.addAndGet(2 * MS);
    assertThat(leadership.isLeader()).as("inside the fence margin: no more leader work").isFalse();
    deadline.set(-1);
    leadership.lost();
    deadline.set(now.get() + 5_000 * MS);
    leadership.acquired();
    assertThat(leadership.epoch()).as("every fresh acquisition mints a new epoch").isEqualTo(2);
  }

  @Test
  void anEpochMintedTooLateIsNotUsed() {
    deadline.set(now.get() + 400 * MS); // less than the margin left when the mint returns
    leadership.acquired();
    assertThat(leadership.isLeader()).isFalse();
  }

  @Test
  void aRefusalWithANewerEpochStopsLeaderWorkAndTheNextMintGoesAboveIt() {
    deadline.set(now.get() + 5_000 * MS);
    leadership.acquired();
    leadership.newerEpochSeen(41);
    assertThat(leadership.isLeader()).isFalse();
    assertThat(leadership.needsNewEpoch()).isTrue();
    leadership.acquired();
    assertThat(leadership.epoch()).isEqualTo(42);
    assertThat(leadership.isLeader()).isTrue();
  }
}
