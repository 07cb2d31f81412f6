package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.lease.SimEvent.MembershipChange;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Joins and leaves of controllers while the lease runs, in the simulator, over 10,000 seeds
 * ({@code -Dlease.membership.seeds=N} for more, {@code -Dlease.membership.seed=N} replays one,
 * with {@code -Dlease.trace=true} to print every event). Each seed is one of the fault plans of
 * {@link LeaseSimulationTest} (message loss, duplication, long delays, partitions, crashes,
 * pauses, releases, clock jumps) with membership changes asked for at random times on top: a join
 * of a new controller or a leave of any (half the time the holder's), each applied only when the
 * previous one has settled, and each reaching the controllers after its own delay (up to 20 s). The
 * {@link SafetyChecker} must find no instant with two holders, and no broken quarantine, quorum or
 * fencing rule, across every controller set the run passes through. Runs last 25 s of simulated
 * time (the fault rates are per minute, so they are as dense as in the longer runs), which keeps
 * 10,000 seeds within a few minutes of CI time.
 *
 * <p>And the tester tested: without either of the design's two rules (the quarantine on adopting
 * a set; the next change only once the previous one has settled) the same checker finds two holders.
 */
class MembershipChangeSimulationTest {

  static final int DEFAULT_SEEDS = 10_000;
  /** Machines that may join besides the plan's three or five. */
  static final int SPARES = 4;
  static final long RUN_NANOS = 25 * FaultPlan.SECOND;
  /** The seeds the rule-breaking runs search: enough for each to fail, far fewer than the proof. */
  static final int BUG_SEARCH_SEEDS = 2_000;

  record Outcome(long joins, long leaves, long refused, boolean settledAtEnd, long events) {}

  @Test
  void joinsAndLeavesUnderFaultsNeverLetTwoControllersHoldTheLease() {
    String replay = System.getProperty("lease.membership.seed");
    if (replay != null) {
      Outcome o = run(Long.parseLong(replay));
      System.out.println("[lease] membership seed " + replay + ": " + o);
      return;
    }
    int seeds = Integer.getInteger("lease.membership.seeds", DEFAULT_SEEDS);
    long startNanos = System.nanoTime();
    long joins = 0;
    long leaves = 0;
    long refused = 0;
    long settled = 0;
    long events = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      Outcome o = run(seed);
      joins += o.joins;
      leaves += o.leaves;
      refused += o.refused;
      settled += o.settledAtEnd ? 1 : 0;
      events += o.events;
    }
    System.out.printf("[lease] membership changes, %d seeds in %.1f s wall: %d joins, %d leaves, %d refused while unsettled,"
        + " %d runs ended settled, %d events%n", seeds, (System.nanoTime() - startNanos) / 1e9, joins, leaves, refused,
        settled, events);
    // The runs really changed the controller set, both ways, many times: otherwise they proved nothing.
    assertThat(joins).isGreaterThan(seeds / 2);
    assertThat(leaves).isGreaterThan(seeds / 2);
    // A change settles once a lease is won under the new set; faults delay that, but rarely for a whole run.
    assertThat(settled).isGreaterThan(seeds * 8L / 10);
  }

  @Test
  void aSeedReplaysExactly() {
    Simulation first = simulation(42);
    Simulation second = simulation(42);
    assertThat(second.run().traceHash).isEqualTo(first.run().traceHash);
    assertThat(second.membership.joins + second.membership.leaves).isPositive();
  }

  @Test
  void withoutTheQuarantineOnAdoptingASetTheCheckerFindsTwoHolders() {
    Optional<LeaseViolation> found = search(EnumSet.of(KnownBug.NO_RECONFIGURATION_QUARANTINE), true);
    found.ifPresent(v -> System.out.println("[lease] no reconfiguration quarantine: found after " + v.seed + " seeds: " + v.getMessage()));
    assertThat(found).isPresent();
  }

  @Test
  void changesThatDoNotAwaitTheSettledSetLetTheCheckerFindTwoHolders() {
    Optional<LeaseViolation> found = search(EnumSet.noneOf(KnownBug.class), false);
    found.ifPresent(v -> System.out.println("[lease] changes not awaiting settlement: found after " + v.seed + " seeds: " + v.getMessage()));
    assertThat(found).isPresent();
  }

  private static Optional<LeaseViolation> search(Set<KnownBug> bugs, boolean awaitSettled) {
    for (long seed = 1; seed <= BUG_SEARCH_SEEDS; seed++) {
      Simulation sim = simulation(seed, bugs);
      sim.membership.awaitSettled = awaitSettled;
      sim.overlapOnly = true;
      try {
        sim.run();
      } catch (LeaseViolation violation) {
        return Optional.of(violation);
      }
    }
    return Optional.empty();
  }

  static Outcome run(long seed) {
    Simulation sim = simulation(seed);
    SimMetrics m = sim.run();
    SimMembership changes = sim.membership;
    return new Outcome(changes.joins, changes.leaves, changes.refusedUnsettled, changes.settled(), m.events);
  }

  private static Simulation simulation(long seed) {
    return simulation(seed, Set.of());
  }

  private static Simulation simulation(long seed, Set<KnownBug> bugs) {
    FaultPlan plan = FaultPlan.random(new SplittableRandom(seed).split()).withDuration(RUN_NANOS);
    Simulation sim = new Simulation(seed, bugs, plan, SPARES);
    // Changes asked for every 0.5 to 3 s on average (most are refused until the last one settles),
    // until 10 s before the end, which leaves the last change time to settle (a quarantine of up to
    // 7.5 s, then an election, under the run's faults).
    SplittableRandom r = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
    double meanGapNanos = (0.5 + r.nextDouble() * 2.5) * FaultPlan.SECOND;
    double t = 0;
    while (true) {
      t += -Math.log(1 - r.nextDouble()) * meanGapNanos;
      if (t >= plan.durationNanos() - 10 * FaultPlan.SECOND) {
        break;
      }
      sim.schedule((long) t, new MembershipChange(-1));
    }
    return sim;
  }
}
