package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.LeaseView;
import java.util.Optional;

/**
 * What a controller knew of the lease after its last step: the owner, when the lease ends on this
 * controller's monotonic clock, and whether the owner is this controller. Immutable, so other
 * threads read it without touching the core.
 */
record LeaseSnapshot(Integer owner, long endNanos, boolean self) {

  static final LeaseSnapshot NONE = new LeaseSnapshot(null, 0, false);

  static LeaseSnapshot of(Optional<LeaseView> view, long nowNanos) {
    return view.map(v -> new LeaseSnapshot(v.owner(), nowNanos + v.remainingNanos(), v.self())).orElse(NONE);
  }

  boolean liveAt(long nowNanos) {
    return owner != null && nowNanos - endNanos < 0;
  }
}
