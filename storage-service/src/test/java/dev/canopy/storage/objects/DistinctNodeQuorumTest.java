package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes over 16 partitions: the ring wraps with one node owning two consecutive partitions,
 * so some keys list that node twice among their three replicas. A quorum of 2 made of that node's
 * two replicas would be one machine, and its loss would lose an acknowledged write.
 */
class DistinctNodeQuorumTest {

  private final KvCluster cluster = new KvCluster(3);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void aWriteIsAcknowledgedOnlyOnceTwoMachinesHoldIt() {
    Ring ring = cluster.first().ring();
    String key = keyListingOneNodeTwice(ring);
    List<Replica> replicas = ring.preferenceList(ring.partitionOf("b", key), 3, n -> true);
    String doubled = replicas.stream().map(Replica::node)
        .filter(n -> replicas.stream().filter(r -> r.node().equals(n)).count() == 2).findFirst().orElseThrow();
    String single = replicas.stream().map(Replica::node).filter(n -> !n.equals(doubled)).findFirst().orElseThrow();
    KvNode coordinator = cluster.node(doubled);

    cluster.stop(single);
    // The node holding two replicas cannot make a quorum of 2 alone.
    assertThatThrownBy(() -> put(coordinator, key, "v1"))
        .hasCauseInstanceOf(QuorumUnreachableException.class);

    // A refused write may still be on the replicas that took it (as in Riak); the next one is newer.
    cluster.time.advance(Duration.ofSeconds(1));
    // Now known down, the single replica is replaced by a fallback on the third machine: acknowledged on two.
    put(coordinator, key, "v2");
    String third = cluster.nodes.keySet().stream().filter(n -> !n.equals(doubled) && !n.equals(single))
        .findFirst().orElseThrow();
    cluster.restart(single);
    // The storage role ticks every second: the fallback hands its hint back to the node it stood for.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      cluster.nodes.values().forEach(KvNode::tick);
      return cluster.node(third).stats().handoffsPending() == 0 && cluster.node(third).stats().handoffsCompleted() > 0;
    });
    cluster.stop(doubled);
    KvNode reader = cluster.node(third);
    // Its first calls to the stopped node tell it that node is down: 503s a client retries, as
    // this loop does (one retry was not always enough on a loaded machine, where a call to a live
    // replica can time out too).
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(new String(reader.get("b", key, ReadOptions.DEFAULTS).join().siblings().get(0).value()))
            .isEqualTo("v2"));
  }

  private static void put(KvNode coordinator, String key, String value) {
    coordinator.put("b", key, null, Content.of(value.getBytes(), "text/plain"), WriteOptions.DEFAULTS).join();
  }

  private static String keyListingOneNodeTwice(Ring ring) {
    return IntStream.range(0, 10_000).mapToObj(i -> "k" + i)
        .filter(k -> ring.preferenceList(ring.partitionOf("b", k), 3, n -> true).stream()
            .map(Replica::node).distinct().count() == 2)
        .findFirst().orElseThrow();
  }
}
