package dev.canopy.cloud.leadership;

import dev.canopy.cloud.fencing.FenceCheck;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.core.time.Time;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership from the lease: this controller leads while it holds the lease and has a usable
 * epoch. On each fresh acquisition it mints an epoch in the grid above every epoch an agent has
 * refused it with, and uses it only if the lease still has more than the fence margin left
 * afterwards (minting is a grid round trip; a holder paused across its deadline must not act).
 * {@link #isLeader()} re-checks the lease's deadline at every call, so leader work stops before
 * the lease ends, not after a callback arrives.
 */
public final class LeaseLeadership implements Leadership {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);

  /** The lease as this controller holds it. */
  public interface Lease {
    /** The local monotonic deadline of the lease this controller holds, or empty. */
    OptionalLong holderDeadlineNanos();
  }

  /** The grid's epoch register. */
  @FunctionalInterface
  public interface Mint {
    long mint(long floor);
  }

  private final Lease lease;
  private final Mint mint;
  private final Time time;
  private final long fenceMarginMs;
  private final AtomicLong newestRefusal = new AtomicLong();
  private volatile long epoch;
  private volatile boolean epochUsable;

  public LeaseLeadership(Lease lease, Mint mint, Time time, long fenceMarginMs) {
    this.lease = lease;
    this.mint = mint;
    this.time = time;
    this.fenceMarginMs = fenceMarginMs;
  }

  /** A fresh acquisition: mint and check. Blocks on the grid; call it off the event loop. */
  public void acquired() {
    epochUsable = false;
    long minted = mint.mint(newestRefusal.get());
    OptionalLong deadline = lease.holderDeadlineNanos();
    if (deadline.isPresent() && FenceCheck.mayUseEpoch(deadline.getAsLong(), time.nanoTime(), fenceMarginMs)) {
      epoch = minted;
      epochUsable = true;
      LOG.info("leading under epoch {}", minted);
    } else {
      LOG.warn("minted epoch {} too close to the lease's end; not leading under it", minted);
    }
  }

  /** The lease ended or was released: no more leader work. */
  public void lost() {
    epochUsable = false;
  }

  /**
   * An agent refused a command because it holds a newer epoch: a later holder existed. Stop
   * using this epoch; a holder that still holds the lease mints above the refusal and goes on.
   */
  public void newerEpochSeen(long agentEpoch) {
    newestRefusal.accumulateAndGet(agentEpoch, Math::max);
    if (agentEpoch > epoch) {
      epochUsable = false;
    }
  }

  /** True when a refusal left this holder without a usable epoch while it still holds the lease. */
  public boolean needsNewEpoch() {
    return !epochUsable && lease.holderDeadlineNanos().isPresent();
  }

  @Override
  public boolean isLeader() {
    if (!epochUsable) {
      return false;
    }
    OptionalLong deadline = lease.holderDeadlineNanos();
    return deadline.isPresent() && FenceCheck.mayUseEpoch(deadline.getAsLong(), time.nanoTime(), fenceMarginMs);
  }

  @Override
  public long epoch() {
    return epoch;
  }
}
