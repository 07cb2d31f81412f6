package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The acceptor role, rules A0–A4 of PAXOSLEASE.md. All state is in memory: a restart loses it, and
 * the quarantine (A4) stands in for the disk writes classic Paxos would need.
 *
 * <p>Not thread-safe; the node's driver calls it from one thread.
 */
public final class Acceptor {

  private final LeaseConfig config;
  private final int selfId;
  private final long configHash;
  private final Set<KnownBug> bugs;

  private long promisedBallot = Ballot.NONE;
  private long acceptedBallot = Ballot.NONE;
  private int acceptedOwner = LeaseMessage.NO_NODE;
  private long exclusionDeadlineNanos;
  private boolean quarantined;
  private long quarantineUntilNanos;

  public Acceptor(LeaseConfig config, int selfId) {
    this(config, selfId, EnumSet.noneOf(KnownBug.class));
  }

  Acceptor(LeaseConfig config, int selfId, Set<KnownBug> bugs) {
    this.config = config;
    this.selfId = selfId;
    this.configHash = config.configHash();
    this.bugs = Set.copyOf(bugs);
  }

  /**
   * A4: this process has just started and may have forgotten promises and leases it gave before;
   * ignore lease messages until every lease it could have granted is over.
   */
  public void startQuarantine(long nowNanos) {
    long quarantine = bugs.contains(KnownBug.QUARANTINE_TOO_SHORT)
        ? config.leaseDurationNanos() / 2
        : config.quarantineNanos();
    startQuarantine(nowNanos, quarantine);
  }

  /**
   * Ignore lease messages for {@code quarantineNanos} from now: after a restart (A4), and after
   * adopting a new controller set (its whole quarantine, {@link
   * LeaseConfig#reconfigurationQuarantineNanos()}).
   */
  void startQuarantine(long nowNanos, long quarantineNanos) {
    if (quarantineNanos == 0) {
      return;
    }
    quarantined = true;
    quarantineUntilNanos = nowNanos + quarantineNanos;
  }

  public boolean isQuarantined(long nowNanos) {
    if (quarantined && Deadlines.reached(nowNanos, quarantineUntilNanos)) {
      quarantined = false;
    }
    return quarantined;
  }

  /** A1. Empty while quarantined: a quarantined acceptor says nothing at all. */
  public Optional<LeaseMessage> onPrepare(PrepareRequest request, long nowNanos) {
    if (isQuarantined(nowNanos)) {
      return Optional.empty();
    }
    clearIfExpired(nowNanos);
    if (request.ballot() < promisedBallot) {
      return Optional.of(new PrepareRejected(selfId, configHash, request.ballot(), promisedBallot));
    }
    promise(request.ballot());
    if (acceptedBallot != Ballot.NONE) {
      long remainingNanos = exclusionDeadlineNanos - nowNanos;
      return Optional.of(new PreparePreviouslyAccepted(
          selfId, configHash, request.ballot(), acceptedBallot, acceptedOwner, remainingNanos));
    }
    return Optional.of(new PrepareCurrentlyOpen(selfId, configHash, request.ballot()));
  }

  /** A2. */
  public Optional<LeaseMessage> onPropose(ProposeRequest request, long nowNanos) {
    if (isQuarantined(nowNanos)) {
      return Optional.empty();
    }
    clearIfExpired(nowNanos);
    boolean refused = request.ballot() < promisedBallot
        || request.durationMs() < 1
        || request.durationMs() > config.maxLeaseMs()
        || replacesLiveLeaseOfAnother(request.owner());
    if (refused) {
      return Optional.of(new ProposeRejected(selfId, configHash, request.ballot(), promisedBallot));
    }
    promise(request.ballot());
    acceptedBallot = request.ballot();
    acceptedOwner = request.owner();
    // T2 by construction: the exclusion comes from the duration the proposer will hold for.
    long durationMs = bugs.contains(KnownBug.EXCLUSION_FROM_LOCAL_DURATION)
        ? config.leaseDurationMs()
        : request.durationMs();
    exclusionDeadlineNanos = nowNanos + config.exclusionNanos(durationMs);
    return Optional.of(new ProposeAccepted(selfId, configHash, request.ballot()));
  }

  /** A3: clear only the exact (owner, ballot) instance the holder released. */
  public void onRelease(Release release, long nowNanos) {
    if (isQuarantined(nowNanos)) {
      return;
    }
    clearIfExpired(nowNanos);
    if (acceptedBallot == Ballot.NONE || acceptedOwner != release.owner()) {
      return;
    }
    // A Release delayed past a re-acquisition by the same owner must not erase the newer lease.
    boolean exact = acceptedBallot == release.heldBallot() || acceptedBallot == release.abandonedBallot();
    if (exact || bugs.contains(KnownBug.OWNER_ONLY_RELEASE)) {
      clearAccepted();
    }
  }

  /** A promise only ever rises: a lower one would let an older ballot win after a newer was promised. */
  private void promise(long ballot) {
    if (ballot < promisedBallot) {
      throw new IllegalStateException("acceptor " + selfId + " would lower its promise from "
          + Ballot.format(promisedBallot) + " to " + Ballot.format(ballot));
    }
    promisedBallot = ballot;
  }

  /**
   * What holds between any two steps, checked by the node after each one, always on (as TigerBeetle
   * asserts): an acceptor in a state no rule can produce must stop the process, not vote on.
   */
  void checkInvariants(long nowNanos) {
    // An accepted lease names its owner; a cleared one names nobody (A0 and A3 clear both).
    if ((acceptedBallot == Ballot.NONE) != (acceptedOwner == LeaseMessage.NO_NODE)) {
      throw broken("accepted ballot " + Ballot.format(acceptedBallot) + " with owner " + acceptedOwner);
    }
    // Accepting a ballot promises it first, so nothing accepted lies above the promise.
    if (acceptedBallot > promisedBallot) {
      throw broken("accepted " + Ballot.format(acceptedBallot) + " above promise " + Ballot.format(promisedBallot));
    }
    // An exclusion never outlasts the longest lease a proposer may ask for, measured from now.
    if (acceptedBallot != Ballot.NONE && exclusionDeadlineNanos - nowNanos > config.exclusionNanos(config.maxLeaseMs())) {
      throw broken("exclusion " + (exclusionDeadlineNanos - nowNanos) + " ns beyond the longest lease");
    }
  }

  private IllegalStateException broken(String what) {
    return new IllegalStateException("acceptor " + selfId + " broke an invariant: " + what);
  }

  private boolean replacesLiveLeaseOfAnother(int owner) {
    if (bugs.contains(KnownBug.LIVE_OVERWRITE)) {
      return false;
    }
    return acceptedBallot != Ballot.NONE && acceptedOwner != owner;
  }

  /** A0. */
  private void clearIfExpired(long nowNanos) {
    if (acceptedBallot != Ballot.NONE && Deadlines.reached(nowNanos, exclusionDeadlineNanos)) {
      clearAccepted();
    }
  }

  private void clearAccepted() {
    acceptedBallot = Ballot.NONE;
    acceptedOwner = LeaseMessage.NO_NODE;
  }

  public long promisedBallot() {
    return promisedBallot;
  }

  /** The accepted ballot as stored (A0 runs lazily, so it may have expired). */
  public long acceptedBallot() {
    return acceptedBallot;
  }

  public int acceptedOwner() {
    return acceptedOwner;
  }

  public long exclusionDeadlineNanos() {
    return exclusionDeadlineNanos;
  }
}
