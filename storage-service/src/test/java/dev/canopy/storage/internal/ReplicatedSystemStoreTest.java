package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.PeerUnreachableException;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.backend.MemoryBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import dev.canopy.storage.objects.KvCluster;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The controllers' records on one node of the replicated store (N=1, as in the cloud in a box). */
class ReplicatedSystemStoreTest {

  private final ManualTime time = new ManualTime();
  private final KvNode node = new KvNode("1", Ring.create(List.of("1"), 8, 1), new MemoryBackend(),
      (peer, request) -> CompletableFuture.failedFuture(new PeerUnreachableException(peer, "not there")), time,
      new SplittableRandom(7));
  private final ReplicatedSystemStore store = new ReplicatedSystemStore(node);

  @Test
  void aRecordIsReadBackReplacedAndDeleted() {
    store.put("accounts", "a", bytes("one"));
    assertThat(store.get("accounts", "a")).map(ReplicatedSystemStoreTest::text).contains("one");

    time.advance(java.time.Duration.ofMillis(1));
    store.put("accounts", "a", bytes("two"));
    assertThat(store.get("accounts", "a")).map(ReplicatedSystemStoreTest::text).contains("two");
    FetchResult stored = node.get(ReplicatedSystemStore.bucketOf("accounts"), "a", ReplicatedSystemStore.READ).join();
    assertThat(stored.siblings()).as("a write supersedes what it read: no sibling").hasSize(1);

    store.delete("accounts", "a");
    assertThat(store.get("accounts", "a")).isEmpty();
    store.delete("accounts", "never-there");
  }

  @Test
  void loadAllReturnsTheLiveRecordsOfOneNamespaceOnly() {
    store.put("keypairs", "k1", bytes("1"));
    store.put("keypairs", "k2", bytes("2"));
    store.put("keypairs", "k3", bytes("3"));
    store.put("tags", "t1", bytes("x"));
    store.delete("keypairs", "k2");

    assertThat(store.loadAll("keypairs")).hasSize(2).containsKeys("k1", "k3");
    assertThat(text(store.loadAll("keypairs").get("k3"))).isEqualTo("3");
    assertThat(store.loadAll("nothing-here")).isEmpty();
  }

  @Test
  void aBatchWritesEveryRecordAcrossNamespacesAndReplacesWhatItRead() {
    store.put("ledgers", "a/2026-12", bytes("old"));
    time.advance(java.time.Duration.ofMillis(1));
    List<SystemStore.Write> writes = new java.util.ArrayList<>();
    for (int i = 0; i < ReplicatedSystemStore.PARALLEL_PUTS_MAX * 2 + 3; i++) {
      writes.add(new SystemStore.Write("days", "i-" + i + "/2026-12-06", bytes("day " + i)));
    }
    writes.add(new SystemStore.Write("ledgers", "a/2026-12", bytes("new")));
    store.putAll(writes);

    assertThat(store.loadAll("days")).hasSize(ReplicatedSystemStore.PARALLEL_PUTS_MAX * 2 + 3);
    assertThat(store.get("days", "i-130/2026-12-06")).map(ReplicatedSystemStoreTest::text).contains("day 130");
    assertThat(store.get("ledgers", "a/2026-12")).map(ReplicatedSystemStoreTest::text).contains("new");
    FetchResult stored = node.get(ReplicatedSystemStore.bucketOf("ledgers"), "a/2026-12", ReplicatedSystemStore.READ).join();
    assertThat(stored.siblings()).as("a batched write supersedes what it read too").hasSize(1);
  }

  @Test
  void getAllReadsTheLiveRecordsOfTheKeysAskedAndLeavesTheRestOut() {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < ReplicatedSystemStore.PARALLEL_GETS_MAX * 2 + 3; i++) {
      store.put("days", "i-" + i, bytes("day " + i));
      keys.add("i-" + i);
    }
    store.delete("days", "i-5");
    store.put("other", "i-6", bytes("another namespace"));
    keys.add("absent");
    keys.add("i-7");

    java.util.Map<String, byte[]> found = store.getAll("days", keys);
    assertThat(found).hasSize(ReplicatedSystemStore.PARALLEL_GETS_MAX * 2 + 2).doesNotContainKeys("i-5", "absent");
    assertThat(text(found.get("i-130"))).isEqualTo("day 130");
    assertThat(text(found.get("i-6"))).isEqualTo("day 6");
    assertThat(store.getAll("days", List.of())).isEmpty();
  }

  @Test
  void onThreeNodesGetAllRepairsAReplicaThatMissedTheWritesAndFailsWithoutAQuorum() {
    try (KvCluster cluster = new KvCluster(3)) {
      ReplicatedSystemStore via = new ReplicatedSystemStore(cluster.node("n1"));
      List<String> keys = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "i-" + i).toList();
      cluster.stop("n3");
      keys.forEach(key -> via.put("days", key, bytes("day " + key)));
      cluster.restart("n3");

      // n1 believes n3 down until a tick's ping gets through; from then on its reads reach n3, find
      // it stale and repair it, as single gets do (a tick may also hand some records back to it).
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
        cluster.node("n1").tick();
        java.util.Map<String, byte[]> found = via.getAll("days", keys);
        assertThat(found).hasSize(keys.size());
        assertThat(text(found.get("i-42"))).isEqualTo("day i-42");
        assertThat(cluster.nodes.values().stream().mapToLong(n -> n.stats().readRepairs()).sum()).as("getAll repairs").isPositive();
      });

      cluster.stop("n2");
      assertThat(via.getAll("days", keys)).as("n1 and the repaired n3 are a quorum").hasSize(keys.size());
      cluster.stop("n3");
      assertThatThrownBy(() -> via.getAll("days", keys)).as("as get, no quorum is a store failure")
          .isInstanceOf(StoreException.class).hasMessageContaining("days");
    }
  }

  @Test
  void onThreeNodesARecordWriteDoesNotReadFirst() {
    try (KvCluster cluster = new KvCluster(3)) {
      ReplicatedSystemStore via = new ReplicatedSystemStore(cluster.node("n1"));
      for (int i = 0; i < 20; i++) {
        via.put("instances", "i-" + (i % 5), bytes("v" + i));
        cluster.time.advance(java.time.Duration.ofMillis(1));
      }
      via.putAll(List.of(new SystemStore.Write("instances", "i-1", bytes("batched")), new SystemStore.Write("instances", "i-9", bytes("new"))));
      via.delete("instances", "i-2");

      assertThat(cluster.nodes.values().stream().mapToLong(n -> n.stats().gets()).sum()).as("no read on any node").isZero();
      assertThat(via.get("instances", "i-2")).isEmpty();
      assertThat(via.loadAll("instances")).containsOnlyKeys("i-0", "i-1", "i-3", "i-4", "i-9");
      assertThat(cluster.node("n1").stats().supersedingRewrites()).isZero();
      assertThat(via.get("instances", "i-4")).map(ReplicatedSystemStoreTest::text).contains("v19");
      assertThat(via.get("instances", "i-1")).map(ReplicatedSystemStoreTest::text).contains("batched");
      for (KvNode node : cluster.nodes.values()) {
        FetchResult stored = node.get(ReplicatedSystemStore.bucketOf("instances"), "i-1", ReplicatedSystemStore.READ).join();
        assertThat(stored.siblings()).as("each write replaced the last: no sibling").hasSize(1);
      }
    }
  }

  /**
   * The case a write over the coordinator's copy alone would get wrong: the coordinator missed a
   * write while it was down, and the node that took it has a clock an hour ahead, so by timestamp
   * the missed value would win over the newer one.
   */
  @Test
  void aWriteReplacesAValueItsCoordinatorMissedEvenWhenThatValueIsStampedLater() {
    ManualTime ahead = new ManualTime(ManualTime.START.plus(java.time.Duration.ofHours(1)));
    try (KvCluster cluster = new KvCluster(3, java.util.Map.of("n2", ahead))) {
      ReplicatedSystemStore viaN1 = new ReplicatedSystemStore(cluster.node("n1"));
      ReplicatedSystemStore viaN2 = new ReplicatedSystemStore(cluster.node("n2"));
      viaN1.put("instances", "i-1", bytes("pending"));
      cluster.stop("n1");
      viaN2.put("instances", "i-1", bytes("running"));
      cluster.restart("n1");
      cluster.time.advance(java.time.Duration.ofSeconds(1));

      viaN1.put("instances", "i-1", bytes("terminated"));
      cluster.stop("n1");
      viaN2.put("instances", "i-2", bytes("running"));
      cluster.restart("n1");
      viaN1.delete("instances", "i-2");

      assertThat(viaN1.get("instances", "i-1")).map(ReplicatedSystemStoreTest::text).contains("terminated");
      assertThat(viaN2.get("instances", "i-1")).map(ReplicatedSystemStoreTest::text).contains("terminated");
      assertThat(viaN1.get("instances", "i-2")).as("the delete too replaced what n1 had not seen").isEmpty();
      assertThat(viaN2.get("instances", "i-2")).isEmpty();
      assertThat(cluster.node("n1").stats().supersedingRewrites()).as("each written again after a read").isEqualTo(2);
    }
  }

  @Test
  void anUnreachableQuorumIsAStoreFailureTheEndpointAnswers503() {
    KvService refusing = (KvService) Proxy.newProxyInstance(KvService.class.getClassLoader(), new Class<?>[] {KvService.class},
        (proxy, method, args) -> CompletableFuture.failedFuture(new QuorumUnreachableException("w", 2, 1)));
    ReplicatedSystemStore unavailable = new ReplicatedSystemStore(refusing);

    assertThatThrownBy(() -> unavailable.put("accounts", "a", bytes("x")))
        .isInstanceOf(StoreException.class).hasMessageContaining("accounts/a").hasMessageContaining("1 of the 2 replicas");
    assertThatThrownBy(() -> unavailable.get("accounts", "a")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> unavailable.putAll(List.of(new SystemStore.Write("accounts", "a", bytes("x")))))
        .as("one failed record fails the whole batch").isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> unavailable.loadAll("accounts")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> unavailable.getAll("accounts", List.of("a", "b"))).isInstanceOf(StoreException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }
}
