package dev.canopy.cloud.lease;

/**
 * Deliberate, test-only departures from the rules in PAXOSLEASE.md. Each reproduces a way a real
 * implementation has been (or could plausibly be) wrong, so that the simulator can show its
 * checker notices. Production code never passes any: the public constructors use none, and this
 * type is package-private so nothing outside the package can switch one on.
 */
enum KnownBug {
  /**
   * The 2012 pseudocode's timer: the attempt deadline starts when the prepare quorum arrives, not
   * when Prepare is sent, and the prepare phase has no time bound of its own. A prepare quorum can
   * then be arbitrarily old.
   */
  TIMER_AT_QUORUM,
  /** A3 clears any lease of the releasing owner, not only the exact (owner, ballot) released. */
  OWNER_ONLY_RELEASE,
  /** Quorums are counted as answers rather than as a set of distinct acceptor ids. */
  COUNT_ANSWERS_NOT_IDS,
  /** P2 without its qualifier: a live lease of one's own always counts as open. */
  NO_RENEWAL_QUALIFIER,
  /** A4 with a quarantine shorter than the lease (D_P / 2) instead of Q from maxLeaseMs. */
  QUARANTINE_TOO_SHORT,
  /** A2 computes the exclusion from the acceptor's own configured duration, not the proposed one. */
  EXCLUSION_FROM_LOCAL_DURATION,
  /** The core measures time with the wall clock, which jumps, instead of the monotonic clock. */
  READS_WALL_CLOCK,
  /**
   * A controller that adopts a new controller set grants at once, without the quarantine: a lease
   * its acceptor granted under the old set can then overlap one of the new set.
   */
  NO_RECONFIGURATION_QUARANTINE,
  /**
   * Not one of the spec's bugs but the 2012 acceptor rule: A2 replaces a live lease of a
   * different owner when the ballot allows. The corrected rules keep two defences against stale
   * quorums (this refusal and P1/P2); some bugs above are only reachable with both gone.
   */
  LIVE_OVERWRITE
}
