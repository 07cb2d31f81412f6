package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.KeyOrder;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.KeyPage.ListedKey;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.KeyHash;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KvNode#listPage} on three simulated nodes (n_val 3, 16 partitions): S3's order, prefix,
 * start-after and limits, paging through deletes, siblings, stale replicas and nodes down.
 */
class ListPageTest {

  static final List<String> NODES = List.of("n1", "n2", "n3");
  static final ReadOptions QUORUM = new ReadOptions(Quorum.MAJORITY, Quorum.of(0));
  static final WriteOptions W2 = new WriteOptions(Quorum.of(2), Quorum.of(2), Quorum.of(0), false);

  SimNetwork net;
  Ring ring;
  final Map<String, KvNode> nodes = new TreeMap<>();
  final Map<String, SimBackend> backends = new TreeMap<>();

  @BeforeEach
  void threeNodes() {
    net = new SimNetwork(new SplittableRandom(7));
    ring = Ring.create(NODES, 16, 3).withBucketProps("sib", new BucketProps(3, Quorum.MAJORITY,
        Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, false));
    for (String n : NODES) {
      backends.put(n, new SimBackend());
      net.attach(n, (from, req) -> nodes.get(n).handle(from, req));
      nodes.put(n, new KvNode(n, ring, backends.get(n), net.transportFor(n), net.time,
          new SplittableRandom(n.hashCode())));
    }
  }

  <T> T await(CompletableFuture<T> f) {
    net.runUntil(f::isDone, 10_000_000);
    return f.join();
  }

  Throwable failure(CompletableFuture<?> f) {
    return SimCalls.failure(net, f);
  }

  static Content text(String s) {
    return SimCalls.text(s);
  }

  void putAll(String bucket, List<String> keys, WriteOptions options) {
    putAll(bucket, keys, options, NODES);
  }

  /** Writes every key at once (in flight together), coordinated by turns, and waits for them all. */
  void putAll(String bucket, List<String> keys, WriteOptions options, List<String> coordinators) {
    onEach(keys, coordinators, (via, key) -> via.put(bucket, key, null, text("v-" + key), options));
  }

  void deleteAll(String bucket, List<String> keys, WriteOptions options) {
    deleteAll(bucket, keys, options, NODES);
  }

  void deleteAll(String bucket, List<String> keys, WriteOptions options, List<String> coordinators) {
    onEach(keys, coordinators, (via, key) -> via.delete(bucket, key, null, options));
  }

  private void onEach(List<String> keys, List<String> coordinators,
      BiFunction<KvNode, String, CompletableFuture<?>> call) {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      calls.add(call.apply(nodes.get(coordinators.get(i % coordinators.size())), keys.get(i)));
    }
    await(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)));
  }

  /** The record {@code node} holds for a key, if it is one of the key's replicas and has one. */
  Optional<byte[]> heldBy(String node, String bucket, String key) {
    return ring.preferenceList(ring.partitionOf(bucket, key), 3, n -> true).stream()
        .filter(r -> r.node().equals(node)).findFirst()
        .flatMap(r -> backends.get(node).peek(r.partition(), KeyHash.encode(bucket, key)));
  }

  static List<String> keysOf(KeyPage page) {
    return page.keys().stream().map(ListedKey::key).toList();
  }

  /** Every page of a listing from {@code via}, each checked for its own promises. */
  List<String> listAll(KvNode via, String bucket, String prefix, int limit) {
    List<String> listed = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 100_000; pages++) {
      KeyPage page = await(via.listPage(bucket, prefix, after, limit, QUORUM));
      List<String> keys = keysOf(page);
      assertThat(keys.size()).isLessThanOrEqualTo(limit);
      assertThat(keys).isSortedAccordingTo(KeyOrder.COMPARATOR);
      if (after != null && !keys.isEmpty()) {
        assertThat(KeyOrder.compare(keys.get(0), after)).isPositive();
      }
      listed.addAll(keys);
      if (!page.truncated()) {
        return listed;
      }
      assertThat(after == null || KeyOrder.compare(page.resumeAfter(), after) > 0)
          .as("a truncated page moves on").isTrue();
      after = page.resumeAfter();
    }
    throw new AssertionError("the listing did not end");
  }

  @Test
  void keysComeInUtf8ByteOrderNotUtf16Order() {
    // U+1F600 is a surrogate pair in UTF-16 (0xD83D...), before U+E000; in UTF-8 it comes last.
    List<String> keys = List.of("\uD83D\uDE00", "\uE000", "\uFFFF", "z", "a", "\u00E9", "A");
    putAll("b", keys, W2);
    KeyPage page = await(nodes.get("n2").listPage("b", null, null, 1000, QUORUM));
    assertThat(keysOf(page)).containsExactly("A", "a", "z", "\u00E9", "\uE000", "\uFFFF", "\uD83D\uDE00");
    assertThat(page.truncated()).isFalse();
    assertThat(page.keys().get(0).object().siblings()).extracting(c -> new String(c.value(), StandardCharsets.UTF_8))
        .containsExactly("v-A");
  }

  @Test
  void prefixStartAfterAndLimitSelectThePage() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add(String.format("photos/%02d.jpg", i));
      keys.add(String.format("docs/%02d.txt", i));
    }
    putAll("b", keys, W2);
    KvNode n1 = nodes.get("n1");
    KeyPage first = await(n1.listPage("b", "photos/", null, 1, QUORUM));
    assertThat(keysOf(first)).containsExactly("photos/00.jpg");
    assertThat(first.truncated()).isTrue();
    assertThat(first.resumeAfter()).isEqualTo("photos/00.jpg");
    KeyPage next = await(n1.listPage("b", "photos/", "photos/00.jpg", 1, QUORUM));
    assertThat(keysOf(next)).containsExactly("photos/01.jpg");
    KeyPage rest = await(n1.listPage("b", "photos/", "photos/25.jpg", 1000, QUORUM));
    assertThat(keysOf(rest)).containsExactly("photos/26.jpg", "photos/27.jpg", "photos/28.jpg", "photos/29.jpg");
    assertThat(rest.truncated()).isFalse();
    KeyPage all = await(n1.listPage("b", null, null, 1000, QUORUM));
    assertThat(keysOf(all)).hasSize(60).startsWith("docs/00.txt").endsWith("photos/29.jpg");
    assertThat(await(n1.listPage("b", "videos/", null, 1000, QUORUM)).keys()).isEmpty();
    assertThat(await(n1.listPage("other", null, null, 1000, QUORUM)).keys()).isEmpty();
    assertThat(listAll(nodes.get("n3"), "b", "docs/", 1)).hasSize(30);
  }

  @Test
  void pagingABucketOf5000KeysWithDeletesListsEveryLiveKeyOnce() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      keys.add("k" + Integer.toString(i * 7919 % 5000, 36) + (i % 3 == 0 ? "\u00E9" : ""));
    }
    putAll("big", keys, W2);
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += 3) {
      deleted.add(keys.get(i));
    }
    deleteAll("big", deleted, W2);
    TreeSet<String> live = new TreeSet<>(KeyOrder.COMPARATOR);
    live.addAll(keys);
    deleted.forEach(live::remove);
    assertThat(listAll(nodes.get("n1"), "big", null, 1000)).containsExactlyElementsOf(live);
    assertThat(listAll(nodes.get("n2"), "big", null, 337)).containsExactlyElementsOf(live);
  }

  /**
   * With tiny pages a replica's answer often ends (on a tombstone) before keys that other replicas'
   * answers reach past: a page that ran on beyond that replica's last key would skip its keys.
   */
  @Test
  void tinyPagesThroughDeletesSkipNothing() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add(String.format("k%03d", i));
    }
    putAll("b", keys, W2);
    List<String> deleted = keys.stream().filter(k -> Integer.parseInt(k.substring(1)) % 4 != 3).toList();
    deleteAll("b", deleted, W2);
    List<String> live = keys.stream().filter(k -> !deleted.contains(k)).toList();
    assertThat(listAll(nodes.get("n1"), "b", null, 1)).containsExactlyElementsOf(live);
    assertThat(listAll(nodes.get("n2"), "b", null, 3)).containsExactlyElementsOf(live);
  }

  @Test
  void aPageIsReadInOneFoldPerReplicaNotOneReadPerKey() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      keys.add("key-" + i);
    }
    putAll("big", keys, W2);
    long readsBefore = backends.values().stream().mapToLong(b -> b.gets).sum();
    KeyPage page = await(nodes.get("n1").listPage("big", null, null, 1000, QUORUM));
    assertThat(page.keys()).hasSize(1000);
    assertThat(page.truncated()).isTrue();
    long readsAfter = backends.values().stream().mapToLong(b -> b.gets).sum();
    assertThat(readsAfter - readsBefore).as("records read one by one").isZero();
  }

  @Test
  void siblingsSurfaceWithTheContextAGetReturns() {
    FetchResult empty = await(nodes.get("n1").get("sib", "k", QUORUM));
    await(nodes.get("n1").put("sib", "k", empty.context(), text("x"), W2));
    await(nodes.get("n2").put("sib", "k", empty.context(), text("y"), W2));
    KeyPage page = await(nodes.get("n3").listPage("sib", null, null, 10, QUORUM));
    FetchResult got = await(nodes.get("n3").get("sib", "k", new ReadOptions(Quorum.ALL, Quorum.of(0))));
    assertThat(page.keys()).hasSize(1);
    FetchResult listed = page.keys().get(0).object();
    assertThat(listed.siblings()).hasSize(2);
    assertThat(listed.siblings()).extracting(c -> new String(c.value(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrderElementsOf(got.siblings().stream()
            .map(c -> new String(c.value(), StandardCharsets.UTF_8)).toList());
    assertThat(listed.context()).isEqualTo(got.context());
    // The listed context resolves the siblings, as a GET's would.
    await(nodes.get("n1").put("sib", "k", listed.context(), text("z"), W2));
    assertThat(await(nodes.get("n2").listPage("sib", null, null, 10, QUORUM)).keys().get(0)
        .object().siblings()).hasSize(1);
  }

  /**
   * n3 is cut off while keys are written and others deleted with w=2: its replicas miss them.
   * With r=quorum every partition's answer includes a replica that saw each change, so no
   * acknowledged key is lost and no deleted one comes back, from whichever node lists.
   */
  @Test
  void aStaleReplicaNeitherLosesAnAcknowledgedKeyNorShowsADeletedOne() {
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      before.add("old-" + i);
    }
    putAll("b", before, W2);
    net.partition(Set.of("n3"));
    // The first writes whose coordinating replica would be n3 time out and teach n1 and n2 that it
    // is down; from then on they coordinate on the replicas they can reach.
    for (String probe : List.of("n1", "n2")) {
      for (int i = 0; i < 20; i++) {
        CompletableFuture<FetchResult> write = nodes.get(probe).put("probe", "p" + i, null, text("p"), W2);
        net.runUntil(write::isDone, 1_000_000);
      }
    }
    List<String> during = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      during.add("new-" + i);
    }
    putAll("b", during, W2, List.of("n1", "n2"));
    deleteAll("b", before.subList(0, 100), W2, List.of("n1", "n2"));
    net.heal();
    for (KvNode n : nodes.values()) {
      n.tick();
    }
    net.runFor(200);
    long missedOnN3 = during.stream().filter(k -> heldBy("n3", "b", k).isEmpty()).count();
    assertThat(missedOnN3).as("writes n3 missed").isGreaterThan(150);
    TreeSet<String> live = new TreeSet<>(KeyOrder.COMPARATOR);
    live.addAll(before.subList(100, 200));
    live.addAll(during);
    for (KvNode via : nodes.values()) {
      assertThat(listAll(via, "b", null, 1000)).as("listed by " + via.id()).containsExactlyElementsOf(live);
      assertThat(listAll(via, "b", null, 50)).as("paged by " + via.id()).containsExactlyElementsOf(live);
    }
  }

  @Test
  void oneNodeDownStillListsWithQuorumButNotWithPrAll() {
    putAll("b", List.of("a", "b", "c"), W2);
    net.crash("n3");
    assertThat(keysOf(await(nodes.get("n1").listPage("b", null, null, 10, QUORUM))))
        .containsExactly("a", "b", "c");
    assertThat(keysOf(await(nodes.get("n1").listPage("b", null, null, 10, QUORUM))))
        .as("once n3 is known down").containsExactly("a", "b", "c");
    assertThat(failure(nodes.get("n1").listPage("b", null, null, 10,
        new ReadOptions(Quorum.MAJORITY, Quorum.ALL))))
        .isInstanceOf(QuorumUnreachableException.class).hasMessageContaining("pr");
  }

  @Test
  void tooManyNodesDownFailsRatherThanAnsweringAnEmptyPage() {
    putAll("b", List.of("a"), W2);
    net.crash("n2");
    net.crash("n3");
    // An empty range is where a silent hole looks most like an answer.
    assertThat(failure(nodes.get("n1").listPage("b", "nothing-here/", null, 10, QUORUM)))
        .isInstanceOf(QuorumUnreachableException.class);
    assertThat(failure(nodes.get("n1").listPage("b", null, null, 10, QUORUM)))
        .isInstanceOf(QuorumUnreachableException.class);
  }
}
