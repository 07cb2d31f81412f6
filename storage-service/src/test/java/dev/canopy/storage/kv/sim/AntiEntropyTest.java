package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.engine.PlantedBugSwitch;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Active anti-entropy with nothing else to help: replicas diverge behind the engine's back and no
 * client reads, so read repair never runs and no fallback holds a hint; only the nodes' ticks.
 */
class AntiEntropyTest {

  static final AntiEntropySettings EVERY_TICK =
      new AntiEntropySettings(new TreeShape(256, 16), Duration.ZERO);
  static final long TICK_MILLIS = 200;
  static final int TICKS_MAX = 400;

  @Test
  void divergedReplicasConvergeWithoutReadsAndTheNewerObjectWins() {
    AntiEntropyCluster cluster = new AntiEntropyCluster(7, EVERY_TICK);
    cluster.load(3_000);
    cluster.diverge(60);
    long readsBefore = cluster.diskReads();

    assertThat(cluster.tickUntilConverged(TICK_MILLIS, TICKS_MAX)).isNotNegative();

    for (Map.Entry<String, Optional<byte[]>> e : cluster.expected.entrySet()) {
      assertThat(cluster.held(e.getKey())).as(e.getKey()).hasValueSatisfying(
          held -> assertThat(held).isEqualTo(e.getValue().orElseThrow()));
    }
    // Only differing keys are read: two sides, a few reads each, against 9,000 records held.
    assertThat(cluster.diskReads() - readsBefore).isLessThan(60 * 8);
    long repaired = cluster.nodes.values().stream().map(KvNode::stats)
        .mapToLong(KvStats::aaeKeysRepaired).sum();
    long exchanges = cluster.nodes.values().stream().map(KvNode::stats)
        .mapToLong(KvStats::aaeExchanges).sum();
    assertThat(repaired).isGreaterThanOrEqualTo(60);
    assertThat(exchanges).isPositive();
  }

  @Test
  void aTombstoneOnOneReplicaSpreadsAndTheDeletedValueStaysDeleted() {
    AntiEntropyCluster cluster = new AntiEntropyCluster(11, EVERY_TICK);
    cluster.load(200);
    cluster.diverge(40);
    assertThat(cluster.tickUntilConverged(TICK_MILLIS, TICKS_MAX)).isNotNegative();

    KvNode n1 = cluster.nodes.get("n1");
    cluster.divergences.forEach((key, kind) -> {
      if (kind == AntiEntropyCluster.Divergence.TOMBSTONE_ON_ONE
          || kind == AntiEntropyCluster.Divergence.ONLY_TOMBSTONE_LEFT) {
        CompletableFuture<FetchResult> read =
            n1.get(AntiEntropyCluster.BUCKET, key, ReadOptions.DEFAULTS);
        cluster.net.runUntil(read::isDone, 100_000);
        assertThat(read.join().siblings()).as(key + " after " + kind).isEmpty();
      }
    });
  }

  @Test
  void withTheRepairSkippedNothingConverges() {
    AntiEntropyCluster cluster = new AntiEntropyCluster(7, EVERY_TICK);
    cluster.nodes.values().forEach(PlantedBugSwitch.SKIP_ANTI_ENTROPY_REPAIR::plantIn);
    cluster.load(500);
    cluster.diverge(10);
    assertThat(cluster.tickUntilConverged(TICK_MILLIS, TICKS_MAX)).isEqualTo(-1);
  }
}
