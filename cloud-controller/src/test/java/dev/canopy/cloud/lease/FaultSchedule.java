package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.SimEvent.Crash;
import dev.canopy.cloud.lease.SimEvent.GracefulRelease;
import dev.canopy.cloud.lease.SimEvent.Link;
import dev.canopy.cloud.lease.SimEvent.PauseStart;
import dev.canopy.cloud.lease.SimEvent.WallJump;
import java.util.random.RandomGenerator;

/** Turns a {@link FaultPlan}'s rates into concrete fault events, all drawn from the run's seed. */
final class FaultSchedule {

  private static final long MS = FaultPlan.MS;
  private static final long SECOND = FaultPlan.SECOND;

  private FaultSchedule() {}

  static void generate(FaultPlan plan, RandomGenerator r, Simulation sim) {
    int n = sim.maxNodeId();
    long end = sim.faultsEndNanos();
    for (long t : arrivals(r, plan.crashesPerMinute(), end)) {
      // Half the crashes hit the holder: that is what failover must survive.
      int node = r.nextBoolean() ? -1 : 1 + r.nextInt(n);
      sim.schedule(t, new Crash(node, 100 * MS + (long) (r.nextDouble() * plan.downMaxNanos())));
    }
    for (long t : arrivals(r, plan.pausesPerMinute(), end)) {
      int node = r.nextBoolean() ? -1 : 1 + r.nextInt(n);
      sim.schedule(t, new PauseStart(node, 10 * MS + (long) (r.nextDouble() * plan.pauseMaxNanos())));
    }
    for (long t : arrivals(r, plan.releasesPerMinute(), end)) {
      sim.schedule(t, new GracefulRelease(-1));
    }
    for (long t : arrivals(r, plan.wallJumpsPerMinute(), end)) {
      long delta = (long) ((r.nextDouble() * 2 - 1) * plan.wallJumpMaxNanos());
      sim.schedule(t, new WallJump(1 + r.nextInt(n), delta));
    }
    for (long t : arrivals(r, plan.partitionsPerMinute(), end)) {
      partition(r, n, t, sim);
    }
  }

  private static void partition(RandomGenerator r, int n, long start, Simulation sim) {
    long heal = start + 200 * MS + (long) (r.nextDouble() * 15 * SECOND);
    switch (r.nextInt(3)) {
      case 0 -> {
        // Symmetric: a random proper subset against the rest.
        int mask = 1 + r.nextInt((1 << n) - 2);
        for (int a = 1; a <= n; a++) {
          for (int b = 1; b <= n; b++) {
            boolean aIn = (mask & (1 << (a - 1))) != 0;
            boolean bIn = (mask & (1 << (b - 1))) != 0;
            if (aIn != bIn) {
              block(sim, a, b, start, heal);
            }
          }
        }
      }
      case 1 -> {
        // Asymmetric: one node's messages to some others vanish; theirs still reach it.
        int from = 1 + r.nextInt(n);
        for (int to = 1; to <= n; to++) {
          if (to != from && r.nextBoolean()) {
            block(sim, from, to, start, heal);
          }
        }
      }
      default -> {
        // Flapping: one link goes down and up repeatedly.
        int a = 1 + r.nextInt(n);
        int b = 1 + (a + r.nextInt(n - 1)) % n;
        long t = start;
        int flaps = 2 + r.nextInt(20);
        for (int i = 0; i < flaps; i++) {
          long down = 50 * MS + (long) (r.nextDouble() * SECOND);
          long up = 50 * MS + (long) (r.nextDouble() * SECOND);
          block(sim, a, b, t, t + down);
          block(sim, b, a, t, t + down);
          t += down + up;
        }
      }
    }
  }

  private static void block(Simulation sim, int from, int to, long start, long heal) {
    sim.schedule(start, new Link(from, to, +1));
    sim.schedule(heal, new Link(from, to, -1));
  }

  /** A Poisson process: exponential gaps with the given mean rate. */
  private static long[] arrivals(RandomGenerator r, double perMinute, long endNanos) {
    if (perMinute <= 0) {
      return new long[0];
    }
    double meanGapNanos = 60.0 * SECOND / perMinute;
    long[] times = new long[16];
    int count = 0;
    double t = 0;
    while (true) {
      t += -Math.log(1 - r.nextDouble()) * meanGapNanos;
      if (t >= endNanos || count >= 10_000) {
        break;
      }
      if (count == times.length) {
        times = java.util.Arrays.copyOf(times, count * 2);
      }
      times[count++] = (long) t;
    }
    return java.util.Arrays.copyOf(times, count);
  }
}
