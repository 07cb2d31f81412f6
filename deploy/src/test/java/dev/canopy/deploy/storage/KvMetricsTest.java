package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.PeerUnreachableException;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.backend.MemoryBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes of the replicated store, wired to each other in memory, each counting into its
 * own registry: node 1's {@code /metrics} text shows what it coordinated, node 2's what it served
 * node 1 as a replica.
 */
class KvMetricsTest {

  private static final String BUCKET = "records";
  private static final ReadOptions READ = ReadOptions.DEFAULTS;
  private static final WriteOptions WRITE = WriteOptions.DEFAULTS;

  private final ManualTime time = new ManualTime();
  private final Ring ring = Ring.create(List.of("1", "2", "3"), 8, 3);
  /** Nodes no message reaches or leaves. */
  private final Set<String> down = new HashSet<>();
  private final Map<String, KvNode> nodes = new TreeMap<>();
  private final Map<String, PrometheusMeterRegistry> metrics = new TreeMap<>();

  KvMetricsTest() {
    for (String id : ring.members()) {
      KvNode node = new KvNode(id, ring, new MemoryBackend(), (peer, request) -> deliver(id, peer, request), time,
          new SplittableRandom(Long.parseLong(id)));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      KvMetrics.register(registry, node.counters());
      nodes.put(id, node);
      metrics.put(id, registry);
    }
  }

  private CompletableFuture<byte[]> deliver(String from, String to, byte[] request) {
    if (down.contains(from) || down.contains(to)) {
      return CompletableFuture.failedFuture(new PeerUnreachableException(to, "down in this test"));
    }
    return nodes.get(to).handle(from, request);
  }

  @Test
  void theExpositionCountsWhatTheNodesCoordinatedAndServed() {
    KvNode node = nodes.get("1");
    String a = keyOnEveryNode("a");
    String b = keyOnEveryNode("b");
    String c = keyOnEveryNode("c");
    node.put(BUCKET, a, null, value("one"), WRITE).join();
    node.get(BUCKET, a, READ).join();
    node.get(BUCKET, keyOnEveryNode("never-written"), READ).join();
    node.delete(BUCKET, a, null, WRITE).join();
    node.putSuperseding(BUCKET, b, value("two"), READ, WRITE).join();

    // Node 2 writes a key while node 1 is away: node 1's superseding put over its own copy is
    // then written again after a read, which repairs node 1's replica.
    down.add("1");
    nodes.get("2").put(BUCKET, c, null, value("while away"), WRITE).join();
    down.clear();
    node.putSuperseding(BUCKET, c, value("three"), READ, WRITE).join();

    // Node 3 down: a read or a write that needs all three replicas fails.
    down.add("3");
    ReadOptions all = new ReadOptions(Quorum.ALL, Quorum.DEFAULT);
    assertThatThrownBy(() -> node.get(BUCKET, b, all).join()).hasRootCauseInstanceOf(QuorumUnreachableException.class);
    WriteOptions everyReplica = new WriteOptions(Quorum.ALL, Quorum.DEFAULT, Quorum.DEFAULT, false);
    assertThatThrownBy(() -> node.put(BUCKET, keyOnEveryNode("d"), null, value("four"), everyReplica).join())
        .hasRootCauseInstanceOf(QuorumUnreachableException.class);
    assertThatThrownBy(() -> node.get(BUCKET, "", READ).join()).hasRootCauseInstanceOf(InvalidRequestException.class);

    // Node 1 coordinated: the gets asked for, the delete's read, the rewrite's read, the failed and
    // the refused read; the puts asked for, the delete's tombstone, the superseding ones and the rewrite.
    assertThat(metrics.get("1").scrape()).contains(
        "# TYPE canopy_kv_requests_total counter",
        "# HELP canopy_kv_requests_total Gets, puts and deletes this storage node coordinated",
        "canopy_kv_requests_total{op=\"get\"} 6.0",
        "canopy_kv_requests_total{op=\"put\"} 6.0",
        "canopy_kv_requests_total{op=\"delete\"} 1.0",
        "canopy_kv_superseding_puts_total 2.0",
        "canopy_kv_superseding_rewrites_total 1.0",
        "canopy_kv_read_repairs_total 1.0",
        "# TYPE canopy_kv_request_failures_total counter",
        "canopy_kv_request_failures_total{op=\"get\",reason=\"quorum\"} 1.0",
        "canopy_kv_request_failures_total{op=\"put\",reason=\"quorum\"} 1.0",
        "canopy_kv_request_failures_total{op=\"get\",reason=\"invalid\"} 1.0",
        "canopy_kv_request_failures_total{op=\"delete\",reason=\"quorum\"} 0.0",
        // Its own replica's share of what it coordinated is no peer's request.
        "canopy_kv_replica_requests_total{op=\"read\"} 0.0");
    // Node 2 served as a replica each of node 1's reads and writes, the failed ones included (the
    // read repair went to node 1's own replica); the put it coordinated itself is one of its requests.
    assertThat(metrics.get("2").scrape()).contains(
        "# TYPE canopy_kv_replica_requests_total counter",
        "canopy_kv_replica_requests_total{op=\"read\"} 5.0",
        "canopy_kv_replica_requests_total{op=\"write\"} 6.0",
        "canopy_kv_requests_total{op=\"put\"} 1.0",
        "canopy_kv_requests_total{op=\"get\"} 0.0");
    // /stats reads the same totals.
    assertThat(node.stats().gets()).isEqualTo(6);
    assertThat(node.stats().puts()).isEqualTo(6);
    assertThat(node.stats().readRepairs()).isEqualTo(1);
    assertThat(node.stats().supersedingRewrites()).isEqualTo(1);
  }

  /** A key whose three replicas are three nodes: of 8 partitions over 3 nodes, some preference lists wrap onto a node twice. */
  private String keyOnEveryNode(String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + i;
      List<Replica> replicas = ring.preferenceList(ring.partitionOf(BUCKET, key), 3, node -> true);
      if (replicas.stream().map(Replica::node).distinct().count() == 3) {
        return key;
      }
    }
  }

  private static Content value(String text) {
    return Content.of(text.getBytes(StandardCharsets.UTF_8), "text/plain");
  }
}
