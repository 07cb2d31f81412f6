package dev.canopy.cloud.lease;

import java.util.random.RandomGenerator;

/**
 * How hostile one simulated run is: cluster shape, timing settings, and the rates of each kind of
 * fault. Drawn from the seed alone (never from the bugs under test), so the correct core and every
 * buggy one face exactly the same runs.
 *
 * <p>A profile weights some faults up (the "test the tester" runs need, for example, many releases
 * under long message delays to meet a stale Release), but every profile mixes in the others.
 */
record FaultPlan(
    String profile,
    int nodeCount,
    long durationNanos,
    double rho,
    long leaseDurationMs,
    boolean mixedLeaseDurations,
    long maxLeaseMs,
    double dropProbability,
    double duplicateProbability,
    long delayMinNanos,
    long delayMeanNanos,
    double tailProbability,
    long tailMaxNanos,
    double crashesPerMinute,
    long downMaxNanos,
    double pausesPerMinute,
    long pauseMaxNanos,
    double partitionsPerMinute,
    double releasesPerMinute,
    double wallJumpsPerMinute,
    long wallJumpMaxNanos,
    double staleProbability,
    long staleDelayNanos,
    double learnDropProbability) {

  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;

  private static final String[] PROFILES = {
    "calm", "lossy", "partitions", "crashes", "pauses", "releases", "clocks", "stale", "adversary", "mixed"
  };

  /** A quiet network and no faults: the base of the timing scenarios. */
  static FaultPlan calm(int nodeCount, long durationNanos, long oneWayDelayNanos) {
    return new FaultPlan("calm-fixed", nodeCount, durationNanos, 1e-3, 5_000, false, 10_000,
        0, 0, oneWayDelayNanos, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  FaultPlan withDropProbability(double dropProbability) {
    return new FaultPlan(profile, nodeCount, durationNanos, rho, leaseDurationMs, mixedLeaseDurations,
        maxLeaseMs, dropProbability, duplicateProbability, delayMinNanos, delayMeanNanos,
        tailProbability, tailMaxNanos, crashesPerMinute, downMaxNanos, pausesPerMinute, pauseMaxNanos,
        partitionsPerMinute, releasesPerMinute, wallJumpsPerMinute, wallJumpMaxNanos,
        staleProbability, staleDelayNanos, learnDropProbability);
  }

  FaultPlan withDuration(long durationNanos) {
    return new FaultPlan(profile, nodeCount, durationNanos, rho, leaseDurationMs, mixedLeaseDurations,
        maxLeaseMs, dropProbability, duplicateProbability, delayMinNanos, delayMeanNanos,
        tailProbability, tailMaxNanos, crashesPerMinute, downMaxNanos, pausesPerMinute, pauseMaxNanos,
        partitionsPerMinute, releasesPerMinute, wallJumpsPerMinute, wallJumpMaxNanos,
        staleProbability, staleDelayNanos, learnDropProbability);
  }

  FaultPlan withDelays(long minNanos, long meanExtraNanos) {
    return new FaultPlan(profile, nodeCount, durationNanos, rho, leaseDurationMs, mixedLeaseDurations,
        maxLeaseMs, dropProbability, duplicateProbability, minNanos, meanExtraNanos,
        tailProbability, tailMaxNanos, crashesPerMinute, downMaxNanos, pausesPerMinute, pauseMaxNanos,
        partitionsPerMinute, releasesPerMinute, wallJumpsPerMinute, wallJumpMaxNanos,
        staleProbability, staleDelayNanos, learnDropProbability);
  }

  static FaultPlan random(RandomGenerator r) {
    String profile = PROFILES[r.nextInt(PROFILES.length)];
    int nodeCount = r.nextDouble() < 0.8 ? 3 : 5;
    long durationNanos = (60 + r.nextInt(61)) * SECOND;
    double[] rhos = {0, 1e-4, 1e-3, 1e-3, 1e-2, 0.05, 0.09};
    double rho = rhos[r.nextInt(rhos.length)];
    long[] leases = {1_000, 2_000, 3_000, 5_000};
    long leaseMs = leases[r.nextInt(leases.length)];
    long maxLeaseMs = leaseMs * (2 + r.nextInt(3)) / 2;
    boolean mixed = r.nextDouble() < (profile.equals("clocks") ? 0.8 : 0.3);

    double drop = pick(r, profile.equals("lossy") ? 0.3 : 0.05);
    double dup = pick(r, profile.equals("lossy") || profile.equals("stale") ? 0.2 : 0.03);
    long delayMin = (long) ((0.2 + r.nextDouble() * 2) * MS);
    long delayMean = (long) ((0.5 + r.nextDouble() * 10) * MS);
    boolean tails = profile.equals("lossy") || profile.equals("stale") || profile.equals("releases");
    double tailProb = pick(r, tails ? 0.15 : 0.02);
    long tailMax = (long) ((0.2 + r.nextDouble() * (tails ? 3.0 * maxLeaseMs / 1000.0 : 2)) * SECOND);

    double crashes = pick(r, profile.equals("crashes") || profile.equals("stale") ? 12 : 1.5);
    long downMax = (long) ((0.1 + r.nextDouble() * 15) * SECOND);
    double pauses = pick(r, profile.equals("pauses") ? 10 : 1);
    long pauseMax = (long) ((0.05 + r.nextDouble() * 2.0 * maxLeaseMs / 1000.0) * SECOND);
    double partitions = pick(r, profile.equals("partitions") ? 10 : 1.5);
    double releases = pick(r, profile.equals("releases") || profile.equals("stale") ? 30 : 2);
    double wallJumps = pick(r, profile.equals("clocks") ? 30 : 2);
    long wallJumpMax = (long) ((0.01 + r.nextDouble() * 20) * SECOND);
    // The adversary holds back the answers and proposals that make quorums stale, for longer
    // than a restarted acceptor's quarantine, and hides announcements of who holds the lease.
    boolean adversary = profile.equals("adversary");
    double stale = adversary ? 0.05 + pick(r, 0.3) : 0;
    long staleDelay = (long) (maxLeaseMs * MS * (1.05 + r.nextDouble()));
    double learnDrop = adversary ? pick(r, 0.9) : 0;
    if (adversary) {
      crashes = 10 + pick(r, 30);
      downMax = (long) ((0.1 + r.nextDouble() * 2) * SECOND);
    }
    if (profile.equals("calm")) {
      drop = Math.min(drop, 0.02);
      crashes = pauses = partitions = 0;
    }
    return new FaultPlan(profile, nodeCount, durationNanos, rho, leaseMs, mixed, maxLeaseMs,
        drop, dup, delayMin, delayMean, tailProb, tailMax, crashes, downMax, pauses, pauseMax,
        partitions, releases, wallJumps, wallJumpMax, stale, staleDelay, learnDrop);
  }

  /** Uniform in [0, max], so every seed sits somewhere between harmless and the profile's worst. */
  private static double pick(RandomGenerator r, double max) {
    return r.nextDouble() * max;
  }
}
