package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.MembershipRefusedException;
import dev.canopy.storage.kv.MembershipRefusedException.Reason;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.RingView;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.engine.Membership;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Joins and leaves made by {@link Membership} at one member, on the simulator's network: the
 * new ring reaches every member (and the node joining or leaving), partitions hand off, nothing
 * is lost, and each refusal leaves the ring as it was.
 */
class MembershipTest {

  private static final Map<String, String> ADDRESSES = Map.of("n1", "10.0.0.1", "n2", "10.0.0.2", "n3", "10.0.0.3");
  private static final WriteOptions ALL_SYNCED = new WriteOptions(Quorum.ALL, Quorum.ALL, Quorum.of(0), false);

  SimNetwork net;
  final Map<String, KvNode> nodes = new TreeMap<>();
  final Map<String, SimBackend> backends = new TreeMap<>();
  final Map<String, List<Ring>> adopted = new TreeMap<>();

  @BeforeEach
  void threeNodes() {
    net = new SimNetwork(new SplittableRandom(7));
    Ring ring = Ring.create(ADDRESSES, 16, 3);
    for (String n : ADDRESSES.keySet()) {
      start(n, ring);
    }
  }

  void start(String n, Ring ring) {
    backends.putIfAbsent(n, new SimBackend());
    net.attach(n, (from, req) -> nodes.get(n).handle(from, req));
    KvNode node = new KvNode(n, ring, backends.get(n), net.transportFor(n), net.time, new SplittableRandom(n.hashCode()));
    adopted.put(n, new ArrayList<>());
    node.onRingAdopted(adopted.get(n)::add);
    nodes.put(n, node);
  }

  /** A node started alone, as an operator starts one to join: its own one-member ring. */
  void startAlone(String n) {
    start(n, Ring.create(List.of(n), 16, 3));
  }

  <T> T await(CompletableFuture<T> f) {
    net.runUntil(f::isDone, 1_000_000);
    return f.join();
  }

  MembershipRefusedException refusal(CompletableFuture<?> f) {
    net.runUntil(f::isDone, 1_000_000);
    try {
      f.join();
      throw new AssertionError("not refused");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(MembershipRefusedException.class);
      return (MembershipRefusedException) e.getCause();
    }
  }

  void settle() {
    for (int round = 0; round < 40; round++) {
      nodes.values().forEach(KvNode::tick);
      net.runFor(100);
    }
  }

  void write(int count) {
    for (int i = 0; i < count; i++) {
      await(nodes.get("n1").put("b", "k" + i, null, Content.of(("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain"), ALL_SYNCED));
    }
  }

  List<String> read(String node, String key) {
    FetchResult r = await(nodes.get(node).get("b", key, new ReadOptions(Quorum.ALL, Quorum.ALL)));
    return r.siblings().stream().map(c -> new String(c.value(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aNodeStartedAloneJoinsTakesItsShareAndEveryKeyStaysReadable() {
    write(60);
    startAlone("n4");
    RingView view = await(new Membership(nodes.get("n2")).join("n4", "10.0.0.4"));
    Ring ring = view.ring();
    assertThat(ring.members()).containsExactly("n1", "n2", "n3", "n4");
    assertThat(ring.address("n4")).contains("10.0.0.4");
    assertThat(ring.addresses()).containsAllEntriesOf(ADDRESSES);
    net.runFor(1000);
    assertThat(nodes.values()).allMatch(n -> n.ring().equals(ring));
    // The transport's listener saw the joined ring on every node, the new one included.
    assertThat(adopted.values()).allMatch(rings -> rings.contains(ring));
    settle();
    assertThat(nodes.values()).allMatch(n -> n.handoffsPending().isEmpty());
    assertThat(nodes.get("n4").stats().partitionsOwned()).isEqualTo(4);
    for (int i = 0; i < 60; i++) {
      assertThat(read("n4", "k" + i)).containsExactly("v" + i);
    }
  }

  @Test
  void aLeavingNodeLearnsTheRingFirstHandsEverythingOffAndThenHoldsNothing() {
    write(60);
    RingView view = await(new Membership(nodes.get("n1")).leave("n3"));
    assertThat(view.ring().members()).containsExactly("n1", "n2");
    assertThat(view.ring().addresses()).containsOnlyKeys("n1", "n2");
    assertThat(nodes.get("n3").ring()).isEqualTo(view.ring());
    settle();
    assertThat(nodes.get("n3").handoffsPending()).isEmpty();
    assertThat(nodes.get("n3").holdsData()).isFalse();
    net.crash("n3");
    for (int i = 0; i < 60; i++) {
      assertThat(read("n2", "k" + i)).containsExactly("v" + i);
    }
  }

  @Test
  void aNodeMayLeaveThroughItself() {
    RingView view = await(new Membership(nodes.get("n2")).leave("n2"));
    assertThat(view.ring().members()).containsExactly("n1", "n3");
    net.runFor(1000);
    assertThat(nodes.get("n1").ring()).isEqualTo(view.ring());
  }

  @Test
  void joinsThatCannotBeMadeAreRefusedAndChangeNothing() {
    Membership membership = new Membership(nodes.get("n1"));
    Ring before = nodes.get("n1").ring();
    assertThat(refusal(membership.join("n2", "10.0.0.9")).reason()).isEqualTo(Reason.CONFLICT);
    assertThat(refusal(membership.join("bad id", "10.0.0.9")).reason()).isEqualTo(Reason.INVALID);
    assertThat(refusal(membership.join("n4", "10.0.0.4:8783")).reason()).isEqualTo(Reason.INVALID);
    assertThat(refusal(membership.join("n4", "https://x")).reason()).isEqualTo(Reason.INVALID);
    // Not started at all: nobody answers as n4.
    MembershipRefusedException unreachable = refusal(membership.join("n4", "10.0.0.4"));
    assertThat(unreachable.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(unreachable.getMessage()).contains("n4", "10.0.0.4", "nothing changed");
    // Alone, but holding data of its own.
    startAlone("n5");
    await(nodes.get("n5").put("b", "mine", null, Content.of(new byte[] {1}, "text/plain"), WriteOptions.DEFAULTS));
    MembershipRefusedException withData = refusal(membership.join("n5", "10.0.0.5"));
    assertThat(withData.reason()).isEqualTo(Reason.CONFLICT);
    assertThat(withData.getMessage()).contains("holds data");
    // A member of another ring of several nodes.
    start("n6", Ring.create(List.of("n6", "n7"), 16, 3));
    MembershipRefusedException otherRing = refusal(membership.join("n6", "10.0.0.6"));
    assertThat(otherRing.reason()).isEqualTo(Reason.CONFLICT);
    assertThat(otherRing.getMessage()).contains("another ring");
    net.runFor(1000);
    assertThat(nodes.get("n1").ring()).isSameAs(before);
    assertThat(List.of("n2", "n3")).allMatch(n -> nodes.get(n).ring().equals(before));
  }

  @Test
  void leavesThatCannotBeMadeAreRefusedAndChangeNothing() {
    Membership membership = new Membership(nodes.get("n1"));
    Ring before = nodes.get("n1").ring();
    assertThat(refusal(membership.leave("n9")).reason()).isEqualTo(Reason.NOT_A_MEMBER);
    net.crash("n3");
    assertThat(refusal(membership.leave("n3")).reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(nodes.get("n1").ring()).isSameAs(before);

    startAlone("n8");
    assertThat(refusal(new Membership(nodes.get("n8")).leave("n8")).reason()).isEqualTo(Reason.CONFLICT);
  }
}
