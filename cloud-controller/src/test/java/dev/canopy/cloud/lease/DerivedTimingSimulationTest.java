package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.SimEvent.Action;
import dev.canopy.cloud.lease.SimMetrics.HolderRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The timings {@link LeaseTiming} derives, checked in the simulator over 10,000 seeds (more with
 * {@code -Dlease.derived.seeds=N}; {@code -Dlease.derived.seed=N} replays one). Each seed draws a
 * delay bound δ, a drift bound ρ and a failover target F, derives D_P, the maximum lease and the
 * quarantine from them, and runs a cluster whose every message takes at most δ and whose clocks
 * drift by at most ρ: first a chaotic phase (message loss and duplication, crashes and restarts
 * with quarantine, graceful releases, wall-clock jumps), in which the {@link SafetyChecker} must
 * find no instant with two holders; then a quiet network, a steady holder, and a kill of that
 * holder, after which another controller must hold the lease within the derived bound B, in real
 * (simulated) time: always with three controllers; with five, a rare duel may leave a quorum
 * blocked for one exclusion (1 of about 2,000 five-controller seeds), which the test bounds.
 */
class DerivedTimingSimulationTest {

  static final long MS = FaultPlan.MS;
  static final long SECOND = FaultPlan.SECOND;
  static final int DEFAULT_SEEDS = 10_000;
  static final long CHAOS_NANOS = 12 * SECOND;

  /** One seed's run and what it measured. */
  record Outcome(LeaseTiming timing, int controllers, long failoverNanos) {
    boolean withinBound() {
      return failoverNanos <= timing.failoverBoundNanos();
    }
  }

  @Test
  void derivedTimingsKeepOneHolderAndFailOverWithinTheirBound() {
    String replay = System.getProperty("lease.derived.seed");
    if (replay != null) {
      Outcome o = run(Long.parseLong(replay));
      System.out.printf("[lease] derived seed %s: %s, %d controllers, failover %.1f ms (bound %.1f ms)%n", replay, o.timing, o.controllers,
          o.failoverNanos / 1e6, o.timing.failoverBoundNanos() / 1e6);
      return;
    }
    int seeds = Integer.getInteger("lease.derived.seeds", DEFAULT_SEEDS);
    long startNanos = System.nanoTime();
    double worstShare = 0;
    long worstSeed = 0;
    Outcome worst = null;
    int fiveRuns = 0;
    List<String> over = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      Outcome o = run(seed);
      fiveRuns += o.controllers == 5 ? 1 : 0;
      if (!o.withinBound()) {
        over.add(String.format("seed %d (%s, %d controllers): %.1f ms, bound %.1f ms", seed, o.timing, o.controllers,
            o.failoverNanos / 1e6, o.timing.failoverBoundNanos() / 1e6));
      }
      double share = (double) o.failoverNanos / o.timing.failoverBoundNanos();
      if (o.controllers == 3 && share > worstShare) {
        worstShare = share;
        worstSeed = seed;
        worst = o;
      }
    }
    System.out.printf("[lease] derived timings, %d seeds in %.1f s wall: worst 3-controller failover %.1f ms = %.1f%% of its"
        + " bound %.1f ms (seed %d: %s, D_P %d ms); over the bound: %s%n", seeds, (System.nanoTime() - startNanos) / 1e9,
        worst.failoverNanos / 1e6, 100 * worstShare, worst.timing.failoverBoundNanos() / 1e6, worstSeed, worst.timing,
        worst.timing.leaseDurationMs(), over);
    // Three controllers (what Canopy ships): every failover within the bound.
    assertThat(worstShare).isLessThanOrEqualTo(1.0);
    // Five: four rivals can duel, and a duel's reordered Propose can outlive its Release on a
    // minority of acceptors each, blocking a quorum for an exclusion (docs/paxoslease.md). Rare.
    assertThat(over).as("five-controller runs over the bound, of %d", fiveRuns).hasSizeLessThanOrEqualTo(Math.max(1, fiveRuns / 1000));
  }

  @Test
  void theDefaultsFailOverWithinTheirBoundOverAThousandSeeds() {
    // The shipped setting, alone: δ 25 ms, ρ 1e-3, F 5.8 s; every seed's failover must fit.
    LeaseTiming timing = LeaseTiming.defaults();
    assertThat(worstOverAThousandSeeds(timing)).isLessThanOrEqualTo(timing.failoverBoundNanos());
  }

  @Test
  void aTwoAndAHalfSecondTargetFailsOverUnderThreeSecondsOverAThousandSeeds() {
    // The setting for a LAN that keeps δ ≤ 25 ms (docs/paxoslease.md): the 3 s failover.
    LeaseTiming timing = new LeaseTiming(25, 1e-3, 2_500);
    assertThat(worstOverAThousandSeeds(timing)).isLessThanOrEqualTo(timing.failoverBoundNanos()).isLessThan(3 * SECOND);
  }

  private static long worstOverAThousandSeeds(LeaseTiming timing) {
    long worst = 0;
    for (long seed = 1; seed <= 1_000; seed++) {
      Outcome o = run(seed, timing, new SplittableRandom(seed));
      assertThat(o.withinBound()).as("seed %d, %d controllers: failover %d ns", seed, o.controllers, o.failoverNanos).isTrue();
      worst = Math.max(worst, o.failoverNanos);
    }
    System.out.printf("[lease] %s, D_P %d ms: worst failover %.1f ms, bound %.1f ms%n", timing,
        timing.leaseDurationMs(), worst / 1e6, timing.failoverBoundNanos() / 1e6);
    return worst;
  }

  static Outcome run(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] delays = {1, 2, 5, 10, 25, 50};
    double[] rhos = {0, 1e-4, 1e-3, 1e-3, 1e-2, 0.05};
    long delayMs = delays[r.nextInt(delays.length)];
    double rho = rhos[r.nextInt(rhos.length)];
    long targetMs = 2_500 + r.nextLong(2_501);
    LeaseTiming timing = null;
    while (timing == null) {
      try {
        timing = new LeaseTiming(delayMs, rho, targetMs);
      } catch (IllegalArgumentException tooShort) {
        targetMs += 250; // a target this δ and ρ cannot meet is refused; the run takes a longer one
      }
    }
    return run(seed, timing, r);
  }

  static Outcome run(long seed, LeaseTiming timing, SplittableRandom r) {
    long delay = timing.maxOneWayDelayMs() * MS;
    long leaseNanos = timing.leaseDurationMs() * MS;
    int nodes = r.nextDouble() < 0.8 ? 3 : 5;
    long downMax = (long) ((0.1 + r.nextDouble() * 4) * SECOND);
    long quarantineReal = (long) (timing.config(Set.of(1, 2)).quarantineNanos() / (1 - timing.rho()));
    // Every crashed node is back and out of quarantine, and a holder has settled, by the kill.
    long killAt = CHAOS_NANOS + 100 * MS + downMax + quarantineReal + 2 * leaseNanos + r.nextLong(leaseNanos);
    long bound = timing.failoverBoundNanos();
    // The run goes on past the bound, so a failover that breaks it is measured, not just missed.
    FaultPlan plan = new FaultPlan("derived", nodes, killAt + bound + 5 * SECOND, timing.rho(), timing.leaseDurationMs(),
        false, timing.maxLeaseMs(),
        r.nextDouble() * 0.2, r.nextDouble() * 0.05, delay / 20, delay / 5, r.nextDouble() * 0.1, delay,
        r.nextDouble() * 12, downMax, 0, 0, 0, r.nextDouble() * 4, 2, 10 * SECOND, 0, 0, 0);
    Simulation sim = new Simulation(seed, Set.of(), plan);
    sim.network.capDelays(delay);
    sim.faultsEndNanos = CHAOS_NANOS;
    sim.schedule(CHAOS_NANOS, new Action(-1, "quiet network", s -> s.network.becomeCalm()));
    int[] killed = {-1};
    sim.schedule(killAt, new Action(-1, "kill the holder", s -> {
      killed[0] = s.currentHolder();
      if (killed[0] > 0) {
        s.crash(s.nodes[killed[0]]);
      }
    }));
    SimMetrics m = sim.run();
    if (killed[0] < 0) {
      fail("seed %d (%s): no holder %.1f s after the network became quiet", seed, timing, (killAt - CHAOS_NANOS) / 1e9);
    }
    long next = m.history.stream()
        .filter(h -> h.atNanos() >= killAt && h.node() != killed[0] && h.event() instanceof BecameHolder)
        .mapToLong(HolderRecord::atNanos).findFirst().orElse(Long.MAX_VALUE);
    if (next == Long.MAX_VALUE) {
      fail("seed %d (%s, %d controllers): no new holder %.1f s after the holder's crash", seed, timing, nodes,
          (plan.durationNanos() - killAt) / 1e9);
    }
    return new Outcome(timing, nodes, next - killAt);
  }
}
