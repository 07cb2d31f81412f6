package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The correct core across many seeded runs: the checker must find nothing. 1,000 seeds by default;
 * {@code -Dlease.seeds=100000} runs more, {@code -Dlease.seed=N} replays one seed (add {@code
 * -Dlease.bugs=NAME,...} for a seed a known bug failed on, {@code -Dlease.trace=true} to print
 * every event).
 */
class LeaseSimulationTest {

  static final int DEFAULT_SEEDS = 1_000;

  @Test
  void correctCoreKeepsEveryInvariantAcrossSeeds() {
    String replay = System.getProperty("lease.seed");
    if (replay != null) {
      // -Dlease.bugs=A,B replays a seed that found a known bug (test the tester).
      Set<KnownBug> bugs = EnumSet.noneOf(KnownBug.class);
      for (String name : System.getProperty("lease.bugs", "").split(",")) {
        if (!name.isBlank()) {
          bugs.add(KnownBug.valueOf(name.trim()));
        }
      }
      SimMetrics m = new Simulation(Long.parseLong(replay), bugs).run();
      System.out.println("[lease] replayed seed " + replay + ": " + summary(m));
      return;
    }
    int seeds = Integer.getInteger("lease.seeds", DEFAULT_SEEDS);
    long startNanos = System.nanoTime();
    long events = 0;
    long fresh = 0;
    long renewals = 0;
    double simulatedSeconds = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      SimMetrics m = new Simulation(seed, Set.of()).run();
      events += m.events;
      fresh += m.freshAcquisitions;
      renewals += m.renewals;
      simulatedSeconds += m.totalNanos / 1e9;
    }
    double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("[lease] %d seeds, %.0f simulated s, %d events, %d fresh acquisitions, %d renewals, %.1f s wall%n",
        seeds, simulatedSeconds, events, fresh, renewals, wallSeconds);
    assertThat(fresh).isPositive();
  }

  @Test
  void aSeedReplaysExactly() {
    for (long seed : new long[] {7, 4242, 987_654_321L}) {
      SimMetrics first = new Simulation(seed, Set.of()).run();
      SimMetrics second = new Simulation(seed, Set.of()).run();
      assertThat(second.traceHash).as("trace hash of seed %d", seed).isEqualTo(first.traceHash);
      assertThat(second.events).isEqualTo(first.events);
    }
    assertThat(new Simulation(1, Set.of()).run().traceHash).isNotEqualTo(new Simulation(2, Set.of()).run().traceHash);
  }

  static String summary(SimMetrics m) {
    return String.format("%d events, leader %.3f%% of time, %d fresh, %d renewals, %d messages",
        m.events, 100 * m.leaderFraction(), m.freshAcquisitions, m.renewals, m.messagesSent);
  }
}
