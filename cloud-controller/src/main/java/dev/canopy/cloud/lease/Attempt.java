package dev.canopy.cloud.lease;

import java.util.Set;
import java.util.TreeSet;

/**
 * One proposer attempt (one ballot): the answers collected for it and its deadlines. A new ballot
 * gets a new Attempt, so nothing counted for an earlier ballot can leak into a later one.
 */
final class Attempt {

  enum Phase {
    PREPARING,
    PROPOSING,
    /** Won, failed or abandoned: answers for this ballot are ignored from now on. */
    OVER
  }

  final long ballot;
  /** The ballot being renewed, or NONE; cleared if the lease ends while this attempt runs. */
  long renewalBase;
  Phase phase = Phase.PREPARING;
  /** Whether Propose went out: acceptors may then hold records of this ballot. */
  boolean proposed;

  /** P1: the lease this attempt can win ends here; set when Prepare is sent. */
  boolean deadlineSet;
  long attemptDeadlineNanos;
  /** When the proposer stops waiting for answers; at or before the attempt deadline. */
  long giveUpAtNanos;

  /** P2: open answers as a set of ids; {@code openAnswers} counts messages (a test-only bug). */
  final Set<Integer> openIds = new TreeSet<>();
  int openAnswers;
  final Set<Integer> acceptIds = new TreeSet<>();
  int acceptAnswers;
  /** Acceptors that refused in the current phase; once a quorum is out of reach, the attempt fails. */
  final Set<Integer> refusedIds = new TreeSet<>();

  /** Set when an acceptor reported a live lease that is not ours to renew: retry after it ends. */
  boolean blockedByLease;
  long blockedUntilNanos;

  Attempt(long ballot, long renewalBase) {
    this.ballot = ballot;
    this.renewalBase = renewalBase;
  }

  boolean isLive(long ballot, Phase phase) {
    return this.ballot == ballot && this.phase == phase;
  }

  boolean isRenewal() {
    return renewalBase != Ballot.NONE;
  }

  void blockUntil(long untilNanos) {
    blockedUntilNanos = blockedByLease ? Deadlines.later(blockedUntilNanos, untilNanos) : untilNanos;
    blockedByLease = true;
  }
}
