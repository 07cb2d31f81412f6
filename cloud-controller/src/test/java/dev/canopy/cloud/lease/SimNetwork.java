package dev.canopy.cloud.lease;

import java.util.random.RandomGenerator;

/**
 * The simulated network: drops, duplicates, delays with a long tail (which also reorders), and
 * directed link blocks for symmetric, asymmetric and flapping partitions. Nothing promises
 * delivery or order, like the transport interface the real driver uses.
 */
final class SimNetwork {

  private final FaultPlan plan;
  private final RandomGenerator random;
  /** blocked[from][to] counts overlapping partitions, so healing one never heals another. */
  private final int[][] blocked;
  private long sent;
  private long dropped;
  /** No message takes longer than this (the derived-timing runs bound the delay, as δ does). */
  private long delayCapNanos = Long.MAX_VALUE;
  /** Once calm, nothing is lost or duplicated (the draws still happen, so later ones stay put). */
  private boolean calm;

  SimNetwork(FaultPlan plan, RandomGenerator random, int maxNodeId) {
    this.plan = plan;
    this.random = random;
    this.blocked = new int[maxNodeId + 1][maxNodeId + 1];
  }

  void capDelays(long maxNanos) {
    delayCapNanos = maxNanos;
  }

  void becomeCalm() {
    calm = true;
  }

  void changeLink(int from, int to, int delta) {
    blocked[from][to] = Math.max(0, blocked[from][to] + delta);
  }

  boolean isBlocked(int from, int to) {
    return blocked[from][to] > 0;
  }

  /**
   * The delays after which copies of one message arrive: none if dropped, two if duplicated.
   * Always draws the same number of random values, so a change in one decision does not shift
   * every later one.
   */
  long[] deliveries(int from, int to, LeaseMessage message) {
    sent++;
    double dropDraw = random.nextDouble();
    double dupDraw = random.nextDouble();
    double staleDraw = random.nextDouble();
    long first = delayNanos();
    long second = delayNanos();
    boolean learn = message instanceof LeaseMessage.LearnChosen;
    if (calm) {
      return isBlocked(from, to) ? new long[0] : new long[] {first};
    }
    if (isBlocked(from, to) || dropDraw < plan.dropProbability()
        || (learn && staleDraw < plan.learnDropProbability())) {
      dropped++;
      return new long[0];
    }
    if (holdsBack(message) && staleDraw < plan.staleProbability()) {
      first = Math.min(delayCapNanos, first + (long) (plan.staleDelayNanos() * (1 + dupDraw)));
    }
    return dupDraw < plan.duplicateProbability() ? new long[] {first, second} : new long[] {first};
  }

  /** Messages whose late arrival makes stale quorums: answers to Prepare, and proposals. */
  private static boolean holdsBack(LeaseMessage message) {
    return message instanceof LeaseMessage.PrepareCurrentlyOpen
        || message instanceof LeaseMessage.ProposeRequest
        || message instanceof LeaseMessage.Release;
  }

  private long delayNanos() {
    double tailDraw = random.nextDouble();
    double shapeDraw = random.nextDouble();
    if (tailDraw < plan.tailProbability()) {
      return Math.min(delayCapNanos, plan.delayMinNanos() + (long) (shapeDraw * plan.tailMaxNanos()));
    }
    // Exponential around the mean: most messages are quick, a few are several times slower.
    double exponential = -Math.log(1 - shapeDraw) * plan.delayMeanNanos();
    return Math.min(delayCapNanos, plan.delayMinNanos() + (long) exponential);
  }

  long sent() {
    return sent;
  }

  long dropped() {
    return dropped;
  }
}
