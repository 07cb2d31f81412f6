package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's promises one at a time, on the simulator's network with no faults unless asked. */
class ClusterTest {

  static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
  static final WriteOptions ALL_SYNCED =
      new WriteOptions(Quorum.ALL, Quorum.ALL, Quorum.of(0), false);

  SimNetwork net;
  Ring ring;
  final Map<String, KvNode> nodes = new TreeMap<>();
  final Map<String, SimBackend> backends = new TreeMap<>();

  @BeforeEach
  void fiveNodes() {
    net = new SimNetwork(new SplittableRandom(1));
    ring = Ring.create(NODES, 16, 3).withBucketProps("sib", new BucketProps(3, Quorum.MAJORITY,
        Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, false));
    for (String n : NODES) {
      start(n);
    }
  }

  void start(String n) {
    backends.putIfAbsent(n, new SimBackend());
    net.attach(n, (from, req) -> nodes.get(n).handle(from, req));
    nodes.put(n, new KvNode(n, ring, backends.get(n), net.transportFor(n), net.time,
        new SplittableRandom(n.hashCode())));
  }

  <T> T await(CompletableFuture<T> f) {
    net.runUntil(f::isDone, 1_000_000);
    net.runFor(SimNetwork.TIMEOUT_MILLIS * 2);
    return f.join();
  }

  Throwable failure(CompletableFuture<?> f) {
    return SimCalls.failure(net, f);
  }

  static Content text(String s) {
    return SimCalls.text(s);
  }

  static List<String> values(FetchResult r) {
    return r.siblings().stream().map(c -> new String(c.value(), StandardCharsets.UTF_8)).sorted().toList();
  }

  List<String> replicasOf(String bucket, String key) {
    return ring.preferenceList(ring.partitionOf(bucket, key), 3, n -> true).stream()
        .map(Replica::node).toList();
  }

  @Test
  void aWriteIsReadFromAnyNodeWithItsMetadata() {
    Content c = new Content("v".getBytes(StandardCharsets.UTF_8), "text/plain",
        Map.of("color", "red"), List.of(), "", 0, false);
    await(nodes.get("n1").put("b", "k", null, c, WriteOptions.DEFAULTS));
    for (KvNode n : nodes.values()) {
      FetchResult r = await(n.get("b", "k", ReadOptions.DEFAULTS));
      assertThat(values(r)).containsExactly("v");
      assertThat(r.siblings().get(0).meta()).containsEntry("color", "red");
      assertThat(r.siblings().get(0).vtag()).isNotEmpty();
      assertThat(r.context()).isNotEmpty();
    }
  }

  @Test
  void concurrentWritesBecomeSiblingsAndAWriteWithTheContextResolvesThem() {
    FetchResult empty = await(nodes.get("n1").get("sib", "k", ReadOptions.DEFAULTS));
    assertThat(empty.found()).isFalse();
    await(nodes.get("n1").put("sib", "k", empty.context(), text("x"), WriteOptions.DEFAULTS));
    await(nodes.get("n2").put("sib", "k", empty.context(), text("y"), WriteOptions.DEFAULTS));
    FetchResult both = await(nodes.get("n3").get("sib", "k", ReadOptions.DEFAULTS));
    assertThat(values(both)).containsExactly("x", "y");
    await(nodes.get("n4").put("sib", "k", both.context(), text("z"), WriteOptions.DEFAULTS));
    assertThat(values(await(nodes.get("n5").get("sib", "k", ReadOptions.DEFAULTS))))
        .containsExactly("z");
  }

  @Test
  void withoutAllowMultTheLastWriteWins() {
    await(nodes.get("n1").put("b", "k", null, text("old"), WriteOptions.DEFAULTS));
    net.runFor(5);
    await(nodes.get("n2").put("b", "k", null, text("new"), WriteOptions.DEFAULTS));
    assertThat(values(await(nodes.get("n3").get("b", "k", ReadOptions.DEFAULTS))))
        .containsExactly("new");
  }

  @Test
  void badRequestsAreInvalidNotFailures() {
    KvNode n1 = nodes.get("n1");
    assertThat(failure(n1.put("b", "k", new byte[] {1, 2, 3}, text("v"), WriteOptions.DEFAULTS)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(failure(n1.get("b", "k", new ReadOptions(Quorum.of(4), Quorum.DEFAULT))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(failure(n1.put("", "k", null, text("v"), WriteOptions.DEFAULTS)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void quorumsThatCannotBeMetFailWith503AndSloppyQuorumKeepsWritesGoing() {
    List<String> replicas = replicasOf("b", "k");
    String coordinator = NODES.stream().filter(n -> !replicas.contains(n)).findFirst().orElseThrow();
    net.partition(Set.of(replicas.get(0), replicas.get(1)));
    KvNode via = nodes.get(coordinator);
    // The first attempts learn the two primaries are down (a request that times out marks its
    // node down; the next request goes to a fallback instead) ...
    for (int attempt = 0; attempt < 2; attempt++) {
      CompletableFuture<FetchResult> probe = via.put("b", "k", null, text("v"),
          new WriteOptions(Quorum.ALL, Quorum.of(0), Quorum.of(0), false));
      net.runUntil(probe::isDone, 1_000_000);
    }
    // ... then pw=all cannot be met, while w=all is met by fallbacks.
    Throwable pw = failure(via.put("b", "k", null, text("v"),
        new WriteOptions(Quorum.ALL, Quorum.of(0), Quorum.ALL, false)));
    assertThat(pw).isInstanceOf(QuorumUnreachableException.class).hasMessageContaining("pw");
    await(via.put("b", "k", null, text("v"), new WriteOptions(Quorum.ALL, Quorum.ALL, Quorum.of(0), false)));
    Throwable pr = failure(via.get("b", "k", new ReadOptions(Quorum.ONE, Quorum.ALL)));
    assertThat(pr).isInstanceOf(QuorumUnreachableException.class);
    assertThat(values(await(via.get("b", "k", new ReadOptions(Quorum.ALL, Quorum.of(0))))))
        .containsExactly("v");
    // Healed, the fallbacks hand the write back to the primaries and drop it.
    net.heal();
    for (int round = 0; round < 20; round++) {
      nodes.values().forEach(KvNode::tick);
      net.runFor(200);
    }
    assertThat(nodes.values()).allMatch(n -> n.handoffsPending().isEmpty());
    assertThat(values(await(via.get("b", "k", new ReadOptions(Quorum.ALL, Quorum.ALL)))))
        .containsExactly("v");
    long handoffs = nodes.values().stream().mapToLong(n -> n.stats().handoffsCompleted()).sum();
    assertThat(handoffs).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aReplicaThatOnceTimedOutIsStillAskedWhenNoNodeIsLeftToStandInForIt() {
    // Three nodes and N=3: no node is left to stand in for a replica.
    net = new SimNetwork(new SplittableRandom(1));
    ring = Ring.create(NODES.subList(0, 3), 16, 3);
    nodes.clear();
    backends.clear();
    NODES.subList(0, 3).forEach(this::start);
    // A key whose three replicas are three nodes (16 partitions do not split evenly in three).
    String key = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "k" + i)
        .filter(k -> Set.copyOf(replicasOf("b", k)).size() == 3).findFirst().orElseThrow();
    List<String> replicas = replicasOf("b", key);
    KvNode via = nodes.get(replicas.get(1));
    await(via.put("b", key, null, text("v"), WriteOptions.DEFAULTS));
    // The first replica dies; the third is cut off for one write, long enough for the second to
    // time out on it and believe it down.
    net.crash(replicas.get(0));
    net.partition(Set.of(replicas.get(2)));
    failure(via.put("b", key, null, text("x"), WriteOptions.DEFAULTS));
    net.heal();
    // Back in reach (no tick has pinged it yet), the third still makes the quorum of two with
    // the second: a belief from one timeout does not fail a read and a write it can serve. (The
    // failed write may have been kept where it was applied, as in Riak, so either value reads.)
    assertThat(values(await(via.get("b", key, ReadOptions.DEFAULTS)))).containsAnyOf("v", "x");
    await(via.put("b", key, null, text("w"), WriteOptions.DEFAULTS));
    assertThat(values(await(via.get("b", key, ReadOptions.DEFAULTS)))).containsExactly("w");
  }

  @Test
  void readRepairFixesAReplicaThatMissedAWriteAndIsCounted() {
    List<String> replicas = replicasOf("b", "k");
    net.partition(Set.of(replicas.get(2)));
    KvNode via = nodes.get(replicas.get(0));
    await(via.put("b", "k", null, text("v"), new WriteOptions(Quorum.of(2), Quorum.of(2), Quorum.of(2), false)));
    net.heal();
    // The isolated replica was believed down; a tick's ping brings it back before the read.
    via.tick();
    net.runFor(100);
    await(via.get("b", "k", new ReadOptions(Quorum.ALL, Quorum.ALL)));
    assertThat(via.stats().readRepairs()).isEqualTo(1);
    assertThat(values(await(nodes.get(replicas.get(2)).get("b", "k",
        new ReadOptions(Quorum.ONE, Quorum.of(0)))))).containsExactly("v");
    byte[] storageKey = dev.canopy.storage.kv.ring.KeyHash.encode("b", "k");
    int partition = ring.preferenceList(ring.partitionOf("b", "k"), 3, n -> true).get(2).partition();
    assertThat(backends.get(replicas.get(2)).get(partition, storageKey)).isPresent();
  }

  @Test
  void aDeleteHidesTheKeyAndItsTombstoneIsReapedOnceEveryPrimaryHoldsIt() {
    KvNode n1 = nodes.get("n1");
    await(n1.put("b", "k", null, text("v"), ALL_SYNCED));
    await(n1.delete("b", "k", null, ALL_SYNCED));
    FetchResult gone = await(n1.get("b", "k", new ReadOptions(Quorum.ALL, Quorum.ALL)));
    assertThat(gone.found()).isFalse();
    assertThat(gone.context()).as("a deleted key still has a context").isNotEmpty();
    byte[] storageKey = dev.canopy.storage.kv.ring.KeyHash.encode("b", "k");
    for (Replica r : ring.preferenceList(ring.partitionOf("b", "k"), 3, n -> true)) {
      assertThat(backends.get(r.node()).get(r.partition(), storageKey)).as("reaped on " + r).isEmpty();
    }
    await(n1.put("b", "k", gone.context(), text("again"), WriteOptions.DEFAULTS));
    assertThat(values(await(n1.get("b", "k", ReadOptions.DEFAULTS)))).containsExactly("again");
  }

  @Test
  void listKeysSeesEveryLiveKeyOnce() {
    for (int i = 0; i < 30; i++) {
      await(nodes.get(NODES.get(i % 5)).put("list", "k" + i, null, text("v"), WriteOptions.DEFAULTS));
    }
    await(nodes.get("n1").delete("list", "k0", null, WriteOptions.DEFAULTS));
    await(nodes.get("n1").put("other", "x", null, text("v"), WriteOptions.DEFAULTS));
    List<String> listed = new ArrayList<>();
    await(nodes.get("n2").listKeys("list", listed::addAll));
    assertThat(listed).doesNotHaveDuplicates().hasSize(29).doesNotContain("k0");
  }

  @Test
  void bucketPropsSpreadToEveryNodeAndResetToDefaults() {
    BucketProps two = BucketProps.defaults(5).withNVal(2);
    await(nodes.get("n1").setProps("p", two));
    assertThat(nodes.values()).allMatch(n -> n.props("p").equals(two));
    await(nodes.get("n3").resetProps("p"));
    assertThat(nodes.values()).allMatch(n -> n.props("p").equals(BucketProps.defaults(5)));
    assertThat(nodes.get("n1").props("sib").allowMult()).isTrue();
  }

  @Test
  void statsCountRequestsAndShowTheRing() {
    KvNode n1 = nodes.get("n1");
    await(n1.put("b", "k", null, text("v"), WriteOptions.DEFAULTS));
    await(n1.get("b", "k", ReadOptions.DEFAULTS));
    await(n1.get("b", "k", ReadOptions.DEFAULTS));
    KvStats stats = n1.stats();
    assertThat(stats.node()).isEqualTo("n1");
    assertThat(stats.ringMembers()).containsExactlyElementsOf(NODES);
    assertThat(stats.partitions()).isEqualTo(16);
    assertThat(stats.partitionsOwned()).isBetween(3, 4);
    assertThat(stats.puts()).isEqualTo(1);
    assertThat(stats.gets()).isEqualTo(2);
    assertThat(stats.getP99Micros()).isGreaterThan(0);
  }

  @Test
  void aJoiningNodeReceivesItsPartitionsWhileReadsAndWritesGoOn() {
    for (int i = 0; i < 40; i++) {
      await(nodes.get("n1").put("b", "k" + i, null, text("v" + i), ALL_SYNCED));
    }
    RingChange change = ring.join("n6");
    ring = change.ring();
    start("n6");
    await(nodes.get("n1").spreadRing(ring));
    nodes.get("n1").installRing(ring);
    assertThat(nodes.values()).allMatch(n -> n.ring().version() == ring.version());
    // During handoff: writes land, reads answer.
    for (int round = 0; round < 30; round++) {
      int i = round % 40;
      await(nodes.get("n2").put("b", "k" + i, null, text("w" + i), WriteOptions.DEFAULTS));
      assertThat(values(await(nodes.get("n3").get("b", "k" + i, ReadOptions.DEFAULTS))))
          .containsExactly("w" + i);
      nodes.values().forEach(KvNode::tick);
      net.runFor(50);
    }
    assertThat(nodes.values()).allMatch(n -> n.handoffsPending().isEmpty());
    assertThat(nodes.get("n6").stats().partitionsOwned()).isEqualTo(change.moves().size());
    for (int i = 0; i < 40; i++) {
      FetchResult r = await(nodes.get("n6").get("b", "k" + i, new ReadOptions(Quorum.ALL, Quorum.ALL)));
      assertThat(values(r)).containsExactly(i < 30 ? "w" + i : "v" + i);
    }
    for (var move : change.moves()) {
      assertThat(backends.get(move.from()).isEmpty(move.partition()))
          .as("partition " + move.partition() + " dropped by " + move.from()).isTrue();
    }
  }

  @Test
  void aLeavingNodeHandsAllItsPartitionsOverAndNothingIsLost() {
    for (int i = 0; i < 40; i++) {
      await(nodes.get("n1").put("b", "k" + i, null, text("v" + i), ALL_SYNCED));
    }
    RingChange change = ring.leave("n3");
    ring = change.ring();
    nodes.get("n1").installRing(ring);
    await(nodes.get("n1").spreadRing(ring));
    // n3 is no longer a member, so the spread skipped it: it learns the ring as an operator's
    // leave command would tell it.
    nodes.get("n3").installRing(ring);
    for (int round = 0; round < 20; round++) {
      nodes.values().forEach(KvNode::tick);
      net.runFor(100);
    }
    assertThat(nodes.get("n3").handoffsPending()).isEmpty();
    for (int p = 0; p < 16; p++) {
      assertThat(backends.get("n3").isEmpty(p)).as("n3 partition " + p).isTrue();
    }
    net.crash("n3");
    for (int i = 0; i < 40; i++) {
      FetchResult r = await(nodes.get("n2").get("b", "k" + i, new ReadOptions(Quorum.ALL, Quorum.ALL)));
      assertThat(values(r)).containsExactly("v" + i);
    }
  }

  /**
   * Every node adopts a join's ring at once and the old owners hand over afterwards, so for a
   * while the new owner of a moved partition has none of its data. A read of an n_val 1 key asks
   * only that new owner: it must read through to the former owner rather than answer not found.
   */
  @Test
  void anNVal1ReadDuringAJoinFindsTheValueBeforeTheHandoff() {
    ring = ring.withBucketProps("one", new BucketProps(1, Quorum.ONE, Quorum.ONE, Quorum.ONE,
        Quorum.of(0), Quorum.of(0), false, false));
    await(nodes.get("n1").spreadRing(ring));
    nodes.get("n1").installRing(ring);
    for (int i = 0; i < 40; i++) {
      await(nodes.get("n1").put("one", "k" + i, null, text("v" + i), ALL_SYNCED));
    }
    // The joiner starts with the cluster's ring, then every node installs the one that adds it.
    start("n6");
    RingChange change = ring.join("n6");
    ring = change.ring();
    nodes.get("n1").installRing(ring);
    await(nodes.get("n1").spreadRing(ring));
    assertThat(nodes.values()).allMatch(n -> n.ring().version() == ring.version());
    List<String> movedKeys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      if (ring.owner(ring.partitionOf("one", "k" + i)).equals("n6")) {
        movedKeys.add("k" + i);
      }
    }
    assertThat(movedKeys).isNotEmpty();
    assertThat(nodes.get("n6").handoffsPending()).isEmpty();
    for (String key : movedKeys) {
      assertThat(values(await(nodes.get("n3").get("one", key, ReadOptions.DEFAULTS))))
          .as(key + " before its partition reached n6").containsExactly("v" + key.substring(1));
    }
    for (int round = 0; round < 30; round++) {
      nodes.values().forEach(KvNode::tick);
      net.runFor(50);
    }
    assertThat(nodes.values()).allMatch(n -> n.handoffsPending().isEmpty());
    for (var move : change.moves()) {
      assertThat(backends.get(move.from()).isEmpty(move.partition())).isTrue();
    }
    for (int i = 0; i < 40; i++) {
      assertThat(values(await(nodes.get("n2").get("one", "k" + i, ReadOptions.DEFAULTS))))
          .containsExactly("v" + i);
    }
  }
}
