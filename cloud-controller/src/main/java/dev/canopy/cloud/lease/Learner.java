package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.Optional;

/**
 * The learner role: who holds the lease and for how long, as announced by LearnChosen. Advisory
 * only (reporting, and telling the proposer when retrying is pointless); no safety decision reads
 * it, because a delayed announcement can describe a lease that has already ended.
 */
public final class Learner {

  private final int selfId;
  private boolean known;
  private int owner = LeaseMessage.NO_NODE;
  private long leaseEndNanos;

  public Learner(int selfId) {
    this.selfId = selfId;
  }

  public void onLearnChosen(LearnChosen message, long nowNanos) {
    known = true;
    owner = message.owner();
    leaseEndNanos = nowNanos + message.remainingNanos();
  }

  public void onRelease(Release message) {
    if (known && owner == message.owner()) {
      known = false;
    }
  }

  /** Keeps the learner in step with this node's own holding, which it knows exactly. */
  public void onHolderEvent(Effects.HolderEvent event) {
    if (event instanceof Effects.BecameHolder became) {
      known = true;
      owner = selfId;
      leaseEndNanos = became.deadlineNanos();
    } else if (known && owner == selfId) {
      known = false;
    }
  }

  public Optional<LeaseView> current(long nowNanos) {
    if (!known || Deadlines.reached(nowNanos, leaseEndNanos)) {
      return Optional.empty();
    }
    return Optional.of(new LeaseView(owner, leaseEndNanos - nowNanos, owner == selfId));
  }
}
