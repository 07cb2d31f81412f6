package dev.canopy.cloud.lease;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one step of the core asks its driver to do: messages to send, timers to set, and changes
 * in whether this node holds the lease.
 */
public record Effects(List<Send> sends, List<TimerRequest> timers, List<HolderEvent> holderEvents) {

  private static final Effects NONE = new Effects(List.of(), List.of(), List.of());

  public Effects {
    sends = List.copyOf(sends);
    timers = List.copyOf(timers);
    holderEvents = List.copyOf(holderEvents);
  }

  public static Effects none() {
    return NONE;
  }

  public boolean isEmpty() {
    return sends.isEmpty() && timers.isEmpty() && holderEvents.isEmpty();
  }

  /**
   * A message for the transport.
   *
   * @param toNodeId a controller id, or {@link #ALL_OTHERS} for every controller but this one
   */
  public record Send(int toNodeId, LeaseMessage message) {
    public static final int ALL_OTHERS = -1;

    public boolean isBroadcast() {
      return toNodeId == ALL_OTHERS;
    }
  }

  /** Call {@code onTimer(kind)} once the local monotonic clock reaches the deadline. */
  public record TimerRequest(TimerKind kind, long deadlineNanos) {}

  /** Timers the core asks for; a new request of a kind replaces the pending one of that kind. */
  public enum TimerKind {
    /** The current attempt gives up. */
    ATTEMPT_TIMEOUT,
    /** Start a new attempt (after backoff, after a learned lease ends, after a Release). */
    RETRY,
    /** The holder starts renewing. */
    RENEW,
    /** The holder's lease ends. */
    LEASE_EXPIRY
  }

  /** A change in whether this node holds the lease. */
  public sealed interface HolderEvent {}

  /**
   * This node holds the lease until {@code deadlineNanos} on its monotonic clock.
   *
   * @param freshAcquisition true when it did not hold the lease just before: the driver mints a new
   *     fencing epoch; false for a renewal that extends a lease still held
   * @param acceptorIds the distinct acceptors whose accepts made the quorum
   */
  public record BecameHolder(
      long ballot, long deadlineNanos, boolean freshAcquisition, Set<Integer> acceptorIds)
      implements HolderEvent {
    public BecameHolder {
      // Sorted, so that iteration (and anything hashed from it) is the same in every JVM.
      acceptorIds = Collections.unmodifiableSortedSet(new TreeSet<>(acceptorIds));
    }
  }

  /** This node no longer holds the lease it held under {@code ballot}. */
  public record StoppedHolding(long ballot, StopReason reason) implements HolderEvent {}

  public enum StopReason {
    /** The deadline passed without a renewal. */
    EXPIRED,
    /** The driver asked for a graceful release. */
    RELEASED,
    /** Another node announced a lease: only possible after this node was paused. */
    SUPERSEDED,
    /** The driver saw this machine suspended (the monotonic clock stopped): treated as a crash. */
    SUSPENDED,
    /** This controller adopted a new controller set: a lease of the old set is given up at once. */
    RECONFIGURED
  }
}
