package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Attempt.Phase;
import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.StopReason;
import dev.canopy.cloud.lease.Effects.StoppedHolding;
import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The proposer role, rules P1–P6 of PAXOSLEASE.md, with renewal, release with a successor, and
 * randomized backoff. It seeks the lease while {@link #setSeeking seeking}, holds it until its own
 * deadline, and renews when a third of it is left.
 *
 * <p>Every handler first ends a lease whose deadline has passed, so holding never depends on a
 * timer firing on time. Randomness comes only from the injected generator.
 */
public final class Proposer {

  private final LeaseConfig config;
  private final int selfId;
  private final int incarnation;
  private final long configHash;
  private final RandomGenerator random;
  private final Set<KnownBug> bugs;

  /** The highest attempt number used or seen; the next ballot is above it. */
  private long attemptCounter;
  /** {@link #attemptCounter} at the last invariant check: it never goes down. */
  private long attemptCounterChecked;
  private Attempt attempt;

  private long heldBallot = Ballot.NONE;
  private long leaseDeadlineNanos;

  private boolean seeking = true;
  private boolean retryArmed;
  private long retryAtNanos;

  /** A lease of another node, as announced to us; retrying before it ends is pointless. */
  private boolean otherLeaseKnown;
  private long otherLeaseEndNanos;

  /** The last Release seen: its records no longer block, even if a Prepare reports them. */
  private Release lastRelease;

  public Proposer(LeaseConfig config, int selfId, int incarnation, RandomGenerator random) {
    this(config, selfId, incarnation, random, EnumSet.noneOf(KnownBug.class));
  }

  Proposer(LeaseConfig config, int selfId, int incarnation, RandomGenerator random, Set<KnownBug> bugs) {
    this.config = config;
    this.selfId = selfId;
    this.incarnation = incarnation;
    this.configHash = config.configHash();
    this.random = random;
    this.bugs = Set.copyOf(bugs);
  }

  /**
   * Continues the ballots of this process's proposer under an earlier controller set, so that no
   * ballot is minted twice by one process (the simulator's checker and the logs key on ballots).
   */
  void continueBallotsAfter(Proposer previous) {
    attemptCounter = Math.max(attemptCounter, previous.attemptCounter);
    attemptCounterChecked = attemptCounter;
  }

  /** Stops holding and abandons any attempt, without a word to anyone: the controller set changed. */
  void retire(EffectsBuilder out) {
    stopHolding(StopReason.RECONFIGURED, out);
    if (attempt != null) {
      attempt.phase = Phase.OVER;
    }
    seeking = false;
    retryArmed = false;
  }

  /** First attempt after a random delay, so controllers started together do not duel. */
  void start(long nowNanos, EffectsBuilder out) {
    armRetry(nowNanos + jitterNanos(), out);
  }

  public boolean isHolder(long nowNanos) {
    return heldBallot != Ballot.NONE && Deadlines.before(nowNanos, leaseDeadlineNanos);
  }

  public long heldBallot() {
    return heldBallot;
  }

  public long leaseDeadlineNanos() {
    return leaseDeadlineNanos;
  }

  /** The ballot of the attempt in flight, or NONE. */
  public long attemptBallot() {
    return attempt != null && attempt.phase != Phase.OVER ? attempt.ballot : Ballot.NONE;
  }

  void onTimer(TimerKind kind, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    switch (kind) {
      case ATTEMPT_TIMEOUT -> {
        if (inFlight()) {
          if (Deadlines.reached(nowNanos, attempt.giveUpAtNanos)) {
            fail(nowNanos, out);
          } else {
            out.timer(TimerKind.ATTEMPT_TIMEOUT, attempt.giveUpAtNanos);
          }
        }
      }
      case RETRY -> {
        if (retryArmed && !Deadlines.reached(nowNanos, retryAtNanos)) {
          out.timer(TimerKind.RETRY, retryAtNanos);
        } else if (retryArmed) {
          retryArmed = false;
          if (!inFlight() && (seeking || heldBallot != Ballot.NONE)) {
            startAttempt(nowNanos, out);
          }
        }
      }
      case RENEW -> {
        long renewAt = leaseDeadlineNanos - config.renewLeadNanos();
        if (heldBallot != Ballot.NONE && !inFlight()) {
          if (Deadlines.reached(nowNanos, renewAt)) {
            startAttempt(nowNanos, out);
          } else {
            out.timer(TimerKind.RENEW, renewAt);
          }
        }
      }
      case LEASE_EXPIRY -> {
        if (heldBallot != Ballot.NONE) {
          out.timer(TimerKind.LEASE_EXPIRY, leaseDeadlineNanos);
        }
      }
    }
  }

  /**
   * What holds between any two steps, checked by the node after each one, always on (as TigerBeetle
   * asserts): a proposer in a state no rule can produce must stop the process, not act as holder.
   */
  void checkInvariants(long nowNanos) {
    // Ballots are unique only while the attempt counter never goes back.
    if (attemptCounter < attemptCounterChecked) {
      throw broken("attempt counter went back from " + attemptCounterChecked + " to " + attemptCounter);
    }
    attemptCounterChecked = attemptCounter;
    // A lease is held under one of this node's own ballots...
    if (heldBallot != Ballot.NONE && Ballot.nodeId(heldBallot) != selfId) {
      throw broken("holds " + Ballot.format(heldBallot) + ", a ballot of another node");
    }
    // ...and never counted beyond one lease duration from now: the deadline runs from the moment
    // the attempt began, before any acceptor granted it (P1).
    if (heldBallot != Ballot.NONE && leaseDeadlineNanos - nowNanos > config.leaseDurationNanos()) {
      throw broken("lease deadline " + (leaseDeadlineNanos - nowNanos) + " ns away, beyond one lease duration");
    }
    if (attempt != null && (Ballot.nodeId(attempt.ballot) != selfId || Ballot.attempt(attempt.ballot) > attemptCounter)) {
      throw broken("attempt under ballot " + Ballot.format(attempt.ballot) + " that this node did not mint");
    }
  }

  private IllegalStateException broken(String what) {
    return new IllegalStateException("proposer " + selfId + " broke an invariant: " + what);
  }

  /** P1. A holder's attempt is a renewal of the ballot it holds. */
  private void startAttempt(long nowNanos, EffectsBuilder out) {
    if (attemptCounter >= Ballot.ATTEMPT_MAX) {
      throw new IllegalStateException("attempt counter exhausted at node " + selfId);
    }
    attemptCounter++;
    attempt = new Attempt(Ballot.of(attemptCounter, incarnation, selfId), heldBallot);
    if (bugs.contains(KnownBug.TIMER_AT_QUORUM)) {
      // The 2012 rule: no clock runs until the prepare quorum is in, so the quorum may be old.
      attempt.giveUpAtNanos = nowNanos + 4 * config.quarantineNanos() + config.attemptTimeoutNanos();
    } else {
      attempt.deadlineSet = true;
      attempt.attemptDeadlineNanos = nowNanos + config.leaseDurationNanos();
      attempt.giveUpAtNanos = nowNanos + config.attemptTimeoutNanos();
    }
    out.broadcast(new PrepareRequest(selfId, configHash, attempt.ballot));
    out.timer(TimerKind.ATTEMPT_TIMEOUT, attempt.giveUpAtNanos);
  }

  /** A higher promise means a rival attempt is under way: give way at once and back off. */
  void onPrepareRejected(PrepareRejected reply, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    observe(reply.promisedBallot());
    if (attempt != null && attempt.isLive(reply.ballot(), Phase.PREPARING)) {
      fail(nowNanos, out);
    }
  }

  /** P2: another's live lease blocks; our own counts as open only for the exact lease we renew. */
  void onPreviouslyAccepted(PreparePreviouslyAccepted reply, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    observe(reply.acceptedBallot());
    if (attempt == null || !attempt.isLive(reply.ballot(), Phase.PREPARING)) {
      return;
    }
    boolean ours = reply.owner() == selfId;
    boolean renewingIt = attempt.isRenewal() && reply.acceptedBallot() == attempt.renewalBase;
    if (ours && (renewingIt || bugs.contains(KnownBug.NO_RENEWAL_QUALIFIER))) {
      opened(reply.senderId(), nowNanos, out);
      return;
    }
    if (!released(reply.owner(), reply.acceptedBallot())) {
      attempt.blockUntil(nowNanos + reply.remainingNanos());
    }
    refused(reply.senderId(), nowNanos, out);
  }

  void onCurrentlyOpen(PrepareCurrentlyOpen reply, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    if (attempt != null && attempt.isLive(reply.ballot(), Phase.PREPARING)) {
      opened(reply.senderId(), nowNanos, out);
    }
  }

  /** P3. */
  private void opened(int acceptorId, long nowNanos, EffectsBuilder out) {
    attempt.openIds.add(acceptorId);
    attempt.openAnswers++;
    int count = bugs.contains(KnownBug.COUNT_ANSWERS_NOT_IDS) ? attempt.openAnswers : attempt.openIds.size();
    if (count < config.quorumSize()) {
      return;
    }
    if (!attempt.deadlineSet) {
      attempt.deadlineSet = true;
      attempt.attemptDeadlineNanos = nowNanos + config.leaseDurationNanos();
      attempt.giveUpAtNanos = nowNanos + config.attemptTimeoutNanos();
      out.timer(TimerKind.ATTEMPT_TIMEOUT, attempt.giveUpAtNanos);
    }
    if (!Deadlines.before(nowNanos, attempt.attemptDeadlineNanos)) {
      fail(nowNanos, out);
      return;
    }
    attempt.phase = Phase.PROPOSING;
    attempt.proposed = true;
    attempt.refusedIds.clear();
    out.broadcast(new ProposeRequest(selfId, configHash, attempt.ballot, selfId, config.leaseDurationMs()));
  }

  /** P4: the deadline is checked here, against stored data, never left to a timer. */
  void onProposeAccepted(ProposeAccepted reply, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    if (attempt == null || !attempt.isLive(reply.ballot(), Phase.PROPOSING)) {
      return;
    }
    attempt.acceptIds.add(reply.senderId());
    attempt.acceptAnswers++;
    int count = bugs.contains(KnownBug.COUNT_ANSWERS_NOT_IDS) ? attempt.acceptAnswers : attempt.acceptIds.size();
    if (count < config.quorumSize()) {
      return;
    }
    if (!Deadlines.before(nowNanos, attempt.attemptDeadlineNanos)) {
      fail(nowNanos, out);
      return;
    }
    win(nowNanos, out);
  }

  void onProposeRejected(ProposeRejected reply, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    observe(reply.promisedBallot());
    if (attempt == null || !attempt.isLive(reply.ballot(), Phase.PROPOSING)) {
      return;
    }
    if (reply.promisedBallot() > attempt.ballot) {
      fail(nowNanos, out);
    } else {
      refused(reply.senderId(), nowNanos, out);
    }
  }

  private void win(long nowNanos, EffectsBuilder out) {
    // expireIfDue ran on entry, so a held ballot here is a lease still live: a renewal counts.
    boolean renewal = attempt.isRenewal() && heldBallot == attempt.renewalBase;
    attempt.phase = Phase.OVER;
    heldBallot = attempt.ballot;
    leaseDeadlineNanos = attempt.attemptDeadlineNanos;
    retryArmed = false;
    out.holderEvent(new BecameHolder(heldBallot, leaseDeadlineNanos, !renewal, attempt.acceptIds));
    out.timer(TimerKind.RENEW, leaseDeadlineNanos - config.renewLeadNanos());
    out.timer(TimerKind.LEASE_EXPIRY, leaseDeadlineNanos);
    out.broadcast(new LearnChosen(selfId, configHash, selfId, leaseDeadlineNanos - nowNanos));
  }

  private void refused(int acceptorId, long nowNanos, EffectsBuilder out) {
    attempt.refusedIds.add(acceptorId);
    if (config.ids().size() - attempt.refusedIds.size() < config.quorumSize()) {
      fail(nowNanos, out);
    }
  }

  /** P5: abandon the attempt and retry with a higher ballot after a backoff. */
  private void fail(long nowNanos, EffectsBuilder out) {
    attempt.phase = Phase.OVER;
    if (attempt.proposed && heldBallot == Ballot.NONE) {
      // Records of a ballot that can no longer win would block everyone, us included (P2), for
      // a whole exclusion; A3 clears exactly them. Never for a renewal: its records may be all
      // that protects the lease we still hold.
      out.broadcast(new Release(selfId, configHash, Ballot.NONE, attempt.ballot, selfId, LeaseMessage.NO_NODE));
    }
    long retryAt;
    if (heldBallot != Ballot.NONE) {
      // A holder retries its renewal soon: the lease is still running and nobody else can win.
      retryAt = nowNanos + random.nextLong(config.backoffMinNanos() + 1);
    } else if (attempt.blockedByLease || otherLeaseLive(nowNanos)) {
      // Nobody can win before the live lease's exclusion ends; one jitter then spreads the rivals.
      long until = attempt.blockedByLease ? attempt.blockedUntilNanos : otherLeaseEndNanos;
      if (attempt.blockedByLease && otherLeaseLive(nowNanos)) {
        until = Deadlines.later(until, otherLeaseEndNanos);
      }
      retryAt = Deadlines.later(until, nowNanos + config.backoffMinNanos()) + jitterNanos();
    } else {
      retryAt = nowNanos + backoffNanos();
    }
    if (seeking || heldBallot != Ballot.NONE) {
      armRetry(retryAt, out);
    }
  }

  /**
   * P6: stop holding first, abandon any attempt in flight (its late accepts are then ignored),
   * and name both ballots so acceptors clear whichever they hold. Returns whether anything was
   * released.
   */
  boolean release(int successorId, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    long held = heldBallot;
    long abandoned = attemptBallot();
    if (held == Ballot.NONE && abandoned == Ballot.NONE) {
      return false;
    }
    stopHolding(StopReason.RELEASED, out);
    if (attempt != null) {
      attempt.phase = Phase.OVER;
    }
    out.broadcast(new Release(selfId, configHash, held, abandoned, selfId, successorId));
    if (seeking) {
      armRetry(nowNanos + config.successorWaitNanos() + jitterNanos(), out);
    }
    return true;
  }

  void onRelease(Release release, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    lastRelease = release;
    // The acceptors promised at least the released ballots: the successor's ballot must be higher.
    observe(release.heldBallot());
    observe(release.abandonedBallot());
    if (release.heldBallot() == Ballot.NONE) {
      return; // only a failed attempt's leftovers: nobody held a lease, nothing to hand over
    }
    if (otherLeaseKnown && release.owner() != selfId) {
      otherLeaseKnown = false;
    }
    if (heldBallot != Ballot.NONE || !seeking) {
      return;
    }
    if (release.successorId() == selfId) {
      if (attempt != null) {
        attempt.phase = Phase.OVER;
      }
      retryArmed = false;
      startAttempt(nowNanos, out);
    } else if (!inFlight()) {
      // Give the successor a head start so the handover is one attempt, not a duel.
      armRetry(nowNanos + config.successorWaitNanos() + jitterNanos(), out);
    }
  }

  /** A holder ignores others' announcements: one can only be stale, since we hold the lease. */
  void onLearnChosen(LearnChosen message, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    if (message.owner() == selfId || heldBallot != Ballot.NONE) {
      return;
    }
    otherLeaseKnown = true;
    // The acceptors exclude others for longer than the holder holds (T2); waiting for less is futile.
    otherLeaseEndNanos = nowNanos + config.exclusionForRemainingNanos(message.remainingNanos());
    if (retryArmed) {
      armRetry(Deadlines.later(retryAtNanos, otherLeaseEndNanos + jitterNanos()), out);
    }
  }

  /** Stops seeking (releasing a lease held, without successor) or starts seeking again. */
  void setSeeking(boolean seeking, long nowNanos, EffectsBuilder out) {
    expireIfDue(nowNanos, out);
    this.seeking = seeking;
    if (!seeking) {
      release(LeaseMessage.NO_NODE, nowNanos, out);
      retryArmed = false;
    } else if (!inFlight() && heldBallot == Ballot.NONE) {
      armRetry(nowNanos + jitterNanos(), out);
    }
  }

  /** The driver saw this machine suspended: our clock under-counted, so the lease is void. */
  void onSuspended(long nowNanos, EffectsBuilder out) {
    stopHolding(StopReason.SUSPENDED, out);
    if (attempt != null) {
      attempt.phase = Phase.OVER;
    }
    if (seeking) {
      armRetry(nowNanos + backoffNanos(), out);
    }
  }

  private void expireIfDue(long nowNanos, EffectsBuilder out) {
    if (heldBallot == Ballot.NONE || Deadlines.before(nowNanos, leaseDeadlineNanos)) {
      return;
    }
    stopHolding(StopReason.EXPIRED, out);
    if (!inFlight() && seeking) {
      armRetry(nowNanos + backoffNanos(), out);
    }
  }

  private void stopHolding(StopReason reason, EffectsBuilder out) {
    if (heldBallot == Ballot.NONE) {
      return;
    }
    out.holderEvent(new StoppedHolding(heldBallot, reason));
    heldBallot = Ballot.NONE;
    // After the deadline a renewal in flight can only win as a fresh acquisition.
    if (attempt != null) {
      attempt.renewalBase = Ballot.NONE;
    }
  }

  private boolean released(int owner, long ballot) {
    return lastRelease != null
        && lastRelease.owner() == owner
        && (lastRelease.heldBallot() == ballot || lastRelease.abandonedBallot() == ballot);
  }

  private boolean otherLeaseLive(long nowNanos) {
    return otherLeaseKnown && Deadlines.before(nowNanos, otherLeaseEndNanos);
  }

  private boolean inFlight() {
    return attempt != null && attempt.phase != Phase.OVER;
  }

  void observeBallot(long ballot) {
    observe(ballot);
  }

  /** Raise the attempt counter above any ballot seen, so our next ballot outranks it. */
  private void observe(long ballot) {
    attemptCounter = Math.max(attemptCounter, Math.min(Ballot.attempt(ballot), Ballot.ATTEMPT_MAX - 1));
  }

  private void armRetry(long atNanos, EffectsBuilder out) {
    retryArmed = true;
    retryAtNanos = atNanos;
    out.timer(TimerKind.RETRY, atNanos);
  }

  private long backoffNanos() {
    return config.backoffMinNanos() + random.nextLong(config.backoffMaxNanos() - config.backoffMinNanos() + 1);
  }

  private long jitterNanos() {
    return random.nextLong(config.backoffMaxNanos() + 1);
  }
}
