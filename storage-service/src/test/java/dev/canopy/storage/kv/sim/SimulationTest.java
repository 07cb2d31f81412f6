package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.canopy.storage.kv.engine.PlantedBugSwitch;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deterministic simulation of the replicated store: 1,000 seeds by default, {@code
 * -Dkv.sim.seeds=N} for more, {@code -Dkv.sim.seed=N} to replay one (a failure prints its seed).
 * Each planted bug must make some seed fail.
 */
class SimulationTest {

  static final int SEEDS_DEFAULT = 1000;
  /** How many seeds a planted bug may take to show. */
  static final int SEEDS_TO_FIND_A_BUG_MAX = 2000;

  static LongStream seeds() {
    String one = System.getProperty("kv.sim.seed");
    if (one != null) {
      return LongStream.of(Long.parseLong(one));
    }
    return LongStream.range(0, Long.getLong("kv.sim.seeds", SEEDS_DEFAULT));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noAcknowledgedWriteIsLostAndReplicasConverge(long seed) {
    new Simulation(seed, Set.of()).run();
  }

  @Test
  void aSeedReplaysExactly() {
    assertThat(new Simulation(42, Set.of()).run()).isEqualTo(new Simulation(42, Set.of()).run());
  }

  @ParameterizedTest
  @EnumSource(PlantedBugSwitch.class)
  void theSimulatorFindsEachPlantedBug(PlantedBugSwitch bug) {
    for (long seed = 0; seed < SEEDS_TO_FIND_A_BUG_MAX; seed++) {
      try {
        new Simulation(seed, Set.of(bug)).run();
      } catch (AssertionError found) {
        System.out.println(bug + " found by seed " + seed + ": "
            + found.getMessage().lines().findFirst().orElse(""));
        long failing = seed;
        // The failing seed fails again on replay, and passes without the bug.
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Simulation(failing, Set.of(bug)).run()).isInstanceOf(AssertionError.class);
        assertThatCode(() -> new Simulation(failing, Set.of()).run()).doesNotThrowAnyException();
        return;
      }
    }
    throw new AssertionError(bug + " survived " + SEEDS_TO_FIND_A_BUG_MAX + " seeds");
  }
}
