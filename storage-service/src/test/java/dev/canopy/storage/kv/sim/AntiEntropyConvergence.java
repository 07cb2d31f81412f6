package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Ring;
import java.time.Duration;

/**
 * A one-off measurement, not a test (it takes a while and asserts no speed): how long active
 * anti-entropy alone takes to converge three replicas of 100,000 keys of which 1% differ, in
 * simulated time (nodes ticking once a simulated second, as in production) and in wall time.
 * Run from storage-service after a test-compile:
 *
 * <pre>
 * mvn -B -q -pl storage-service -am test-compile
 * java -cp "storage-service/target/test-classes:storage-service/target/classes:core/target/classes:core/target/test-classes" \
 *     dev.canopy.storage.kv.sim.AntiEntropyConvergence
 * </pre>
 */
final class AntiEntropyConvergence {

  static final int KEYS = 100_000;
  static final int DIVERGED = KEYS / 100;
  static final long TICK_MILLIS = 1_000;

  private AntiEntropyConvergence() {}

  public static void main(String[] args) {
    measure("production defaults (64 partitions, 4,096-segment trees, 10-minute round)",
        AntiEntropySettings.DEFAULTS, 3 * 3600);
    measure("an exchange every tick (64 partitions, 4,096-segment trees)",
        new AntiEntropySettings(TreeShape.DEFAULT, Duration.ZERO), 3 * 3600);
  }

  private static void measure(String name, AntiEntropySettings settings, int ticksMax) {
    long wallStart = System.nanoTime();
    AntiEntropyCluster cluster = new AntiEntropyCluster(1, settings, Ring.PARTITIONS_DEFAULT);
    cluster.load(KEYS);
    cluster.diverge(DIVERGED);
    long loaded = System.nanoTime();
    long simStart = cluster.net.nowMillis();
    int ticks = cluster.tickUntilConverged(TICK_MILLIS, ticksMax);
    long wallEnd = System.nanoTime();
    long exchanges = cluster.nodes.values().stream().map(KvNode::stats)
        .mapToLong(KvStats::aaeExchanges).sum();
    long repaired = cluster.nodes.values().stream().map(KvNode::stats)
        .mapToLong(KvStats::aaeKeysRepaired).sum();
    System.out.printf("%s: %,d keys, %,d diverged: converged=%s after %d ticks, %.1f simulated"
            + " minutes, %.2f s wall (load %.2f s), %d exchanges, %d key repairs%n",
        name, KEYS, DIVERGED, ticks >= 0, ticks,
        (cluster.net.nowMillis() - simStart) / 60_000.0, (wallEnd - loaded) / 1e9,
        (loaded - wallStart) / 1e9, exchanges, repaired);
  }
}
