package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.engine.PlantedBugSwitch;
import dev.canopy.storage.kv.ring.KeyHash;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a five-node cluster from one seed: a random workload of puts, gets and deletes
 * (with and without contexts, in a bucket with allow_mult and one with last-write-wins), and
 * faults (message loss, partitions, crashes that lose unsynced writes, restarts). Every read is
 * checked as it returns; after healing, handoff and read repair must converge the replicas and
 * every write acknowledged with dw ≥ 1 must be readable, or replaced by a write that saw it, and
 * a paged listing of each bucket must show exactly what those reads found ({@link ListingCheck}).
 * Then one member loses its disk and, with no reads, anti-entropy must converge the replicas.
 * A failure is an {@link AssertionError} naming the seed and the last events.
 */
final class Simulation {

  static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
  /** The node that may join during a run (after which one member may leave). */
  static final String JOINER = "n6";
  static final int PARTITIONS = 16;
  static final String MULT = "mult";
  static final String LWW = "lww";
  static final List<String> KEYS = List.of("a", "b", "c");
  static final int STEPS = 40;
  static final int EVENTS_PER_STEP_MAX = 200_000;
  static final int HEAL_ROUNDS_MAX = 40;
  /** Ticks anti-entropy gets to refill a lost disk: a round of every node's exchanges is about 20. */
  static final int ANTI_ENTROPY_ROUNDS_MAX = 80;
  /** Small trees (the simulator holds six keys) and an exchange every tick. */
  static final AntiEntropySettings ANTI_ENTROPY =
      new AntiEntropySettings(new TreeShape(64, 8), Duration.ZERO);
  static final int TRACE_LINES_MAX = Integer.getInteger("kv.sim.trace", 40);

  /** A write as the model knows it: what it replaced, when it was issued. */
  private record Write(String id, String bucketKey, Set<String> ancestors, long issuedMillis) {}

  private final long seed;
  private final SplittableRandom random;
  private final SimNetwork net;
  private final Set<PlantedBugSwitch> bugs;
  private Ring ring;
  private boolean joined;
  private boolean left;
  private final Map<String, SimBackend> backends = new TreeMap<>();
  private final Map<String, KvNode> nodes = new TreeMap<>();
  private final Map<String, Write> writes = new LinkedHashMap<>();
  private final Set<String> acked = new HashSet<>();
  private final Map<String, List<FetchResult>> reads = new HashMap<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private final List<String> blindDeletes = new ArrayList<>();
  private final Map<String, Long> latestStampMillis = new HashMap<>();
  private int nextWrite;

  Simulation(long seed, Set<PlantedBugSwitch> bugs) {
    this.seed = seed;
    this.bugs = bugs;
    this.random = new SplittableRandom(seed);
    this.net = new SimNetwork(random.split());
    BucketProps defaults = BucketProps.defaults(NODES.size());
    this.ring = Ring.create(NODES, PARTITIONS, 3)
        .withBucketProps(MULT, new BucketProps(3, Quorum.MAJORITY, Quorum.MAJORITY,
            Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, false))
        .withBucketProps(LWW, defaults);
    for (String node : NODES) {
      backends.put(node, new SimBackend());
      start(node);
    }
  }

  private void start(String node) {
    net.attach(node, (from, request) -> nodes.get(node).handle(from, request));
    KvNode kv = new KvNode(node, ring, backends.get(node), net.transportFor(node), net.time,
        new SplittableRandom(random.nextLong()), ANTI_ENTROPY);
    bugs.forEach(b -> b.plantIn(kv));
    nodes.put(node, kv);
  }

  /** Runs the workload and the final checks; a broken invariant throws. */
  String run() {
    try {
      for (int step = 0; step < STEPS; step++) {
        if (random.nextInt(100) < 15) {
          fault();
        } else {
          clients();
        }
        if (step % 4 == 3) {
          tickAll();
          net.runFor(SimNetwork.TIMEOUT_MILLIS * 2);
        }
        checkAcknowledgedWritesHeld();
      }
      healAndConverge();
      loseADiskThenConvergeWithoutReads();
      return String.join("\n", trace);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("kv simulation seed " + seed + " failed (replay: -Dkv.sim.seed="
          + seed + "): " + e.getMessage() + "\nlast events:\n" + String.join("\n", trace), e);
    }
  }

  // ---- faults ----

  private void fault() {
    int roll = random.nextInt(7);
    List<String> up = new ArrayList<>(nodes.keySet());
    List<String> all = new ArrayList<>(backends.keySet());
    List<String> down = new ArrayList<>(all);
    down.removeAll(up);
    if (roll == 6) {
      changeMembership();
      return;
    }
    if (roll == 0 && up.size() > 3) {
      String victim = up.get(random.nextInt(up.size()));
      net.crash(victim);
      backends.get(victim).crash();
      nodes.remove(victim);
      log("crash " + victim);
    } else if (roll == 1 && !down.isEmpty()) {
      String back = down.get(random.nextInt(down.size()));
      start(back);
      log("restart " + back);
    } else if (roll == 2) {
      Set<String> side = new HashSet<>();
      int size = 1 + random.nextInt(2);
      while (side.size() < size) {
        side.add(all.get(random.nextInt(all.size())));
      }
      net.partition(side);
      log("partition " + new TreeMap<>(Map.of("side", side)));
    } else if (roll == 3) {
      net.heal();
      log("heal network");
    } else {
      net.lossRate = new double[] {0, 0.05, 0.2}[random.nextInt(3)];
      log("loss " + net.lossRate);
    }
  }

  /**
   * A join of {@link #JOINER}, or later a leave of a random member: the new ring is installed on
   * one member that is up, which spreads it (the rest learn by gossip); a leaving node is told
   * directly, as an operator's command would, and hands its partitions over.
   */
  private void changeMembership() {
    if (!joined) {
      joined = true;
      // The joiner starts with the cluster's ring and then learns the one that adds it, so it
      // knows the former owners of the partitions it takes (and reads through to them).
      backends.put(JOINER, new SimBackend());
      start(JOINER);
      ring = ring.join(JOINER).ring();
      log("join " + JOINER + " -> ring v" + ring.version());
    } else if (!left) {
      left = true;
      String leaving = ring.members().get(random.nextInt(ring.members().size()));
      ring = ring.leave(leaving).ring();
      if (nodes.containsKey(leaving)) {
        nodes.get(leaving).installRing(ring);
      }
      log("leave " + leaving + " -> ring v" + ring.version());
    } else {
      return;
    }
    List<String> upMembers = ring.members().stream().filter(nodes::containsKey).toList();
    KvNode announcer = nodes.get(upMembers.get(random.nextInt(upMembers.size())));
    announcer.installRing(ring);
    announcer.spreadRing(ring);
  }

  private void tickAll() {
    nodes.values().forEach(KvNode::tick);
  }

  // ---- the workload ----

  private void clients() {
    int count = 1 + random.nextInt(3);
    List<CompletableFuture<?>> ops = new ArrayList<>();
    List<String> via = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> up = new ArrayList<>(nodes.keySet());
      String node = up.get(random.nextInt(up.size()));
      via.add(node);
      ops.add(clientOp(node, nodes.get(node)));
    }
    boolean settled = net.runUntil(() -> {
      for (int i = 0; i < ops.size(); i++) {
        if (!ops.get(i).isDone() && nodes.containsKey(via.get(i))) {
          return false;
        }
      }
      return true;
    }, EVENTS_PER_STEP_MAX);
    if (!settled) {
      throw new AssertionError("requests did not finish within " + EVENTS_PER_STEP_MAX + " events");
    }
    // A delete without a context reads first inside the engine, and that read may see any
    // write issued up to now (in this step too): it may replace any of them.
    for (String id : blindDeletes) {
      Write d = writes.get(id);
      writes.values().stream().filter(x -> x != d && x.bucketKey().equals(d.bucketKey()))
          .forEach(x -> d.ancestors().add(x.id()));
    }
    blindDeletes.clear();
  }

  private CompletableFuture<?> clientOp(String via, KvNode node) {
    String bucket = random.nextBoolean() ? MULT : LWW;
    String key = KEYS.get(random.nextInt(KEYS.size()));
    String bk = bucket + "/" + key;
    int roll = random.nextInt(10);
    if (roll < 4) {
      Quorum r = new Quorum[] {Quorum.ONE, Quorum.MAJORITY, Quorum.ALL}[random.nextInt(3)];
      return node.get(bucket, key, new ReadOptions(r, Quorum.of(0))).whenComplete((got, e) -> {
        if (e == null) {
          checkRead(bk, got, bucket.equals(MULT));
          List<FetchResult> list = reads.computeIfAbsent(bk, x -> new ArrayList<>());
          list.add(got);
          if (list.size() > 4) {
            list.remove(0);
          }
        }
        log("get " + bk + " r=" + r + " via " + via + " -> " + (e == null ? ids(got) : e.getClass().getSimpleName()));
      });
    }
    FetchResult read = random.nextInt(10) < 7 && reads.containsKey(bk)
        ? reads.get(bk).get(random.nextInt(reads.get(bk).size())) : null;
    byte[] context = read == null ? new byte[0] : read.context();
    Set<String> ancestors = new HashSet<>();
    if (read != null) {
      for (String seen : ids(read)) {
        ancestors.add(seen);
        Write w = writes.get(seen);
        if (w != null) {
          ancestors.addAll(w.ancestors());
        }
      }
    }
    Quorum dw = new Quorum[] {Quorum.of(0), Quorum.ONE, Quorum.MAJORITY, Quorum.DEFAULT}[random.nextInt(4)];
    Quorum w = new Quorum[] {Quorum.ONE, Quorum.MAJORITY, Quorum.DEFAULT}[random.nextInt(3)];
    WriteOptions options = new WriteOptions(w, dw, Quorum.DEFAULT, false);
    int dwCount = dw.resolve(3, Quorum.MAJORITY);
    if (roll < 9) {
      String id = "w" + nextWrite++;
      writes.put(id, new Write(id, bk, ancestors, net.nowMillis()));
      Content value = Content.of(id.getBytes(StandardCharsets.UTF_8), "text/plain");
      return node.put(bucket, key, context, value, options).whenComplete((x, e) -> {
        if (e == null && dwCount >= 1) {
          acked.add(id);
        }
        log("put " + id + " " + bk + (read == null ? " blind" : " ctx" + ids(read)) + " w=" + w
            + " dw=" + dw + " via " + via + " -> " + (e == null ? "ok" : e.getClass().getSimpleName()));
      });
    }
    String id = "d" + nextWrite++;
    writes.put(id, new Write(id, bk, ancestors, net.nowMillis()));
    if (context.length == 0) {
      blindDeletes.add(id);
    }
    // A delete that reads first stamps its tombstone after the read, up to when it completes
    // (or any time later, for all we know, if it never does).
    latestStampMillis.put(id, Long.MAX_VALUE);
    return node.delete(bucket, key, context, options).whenComplete((x, e) -> {
      latestStampMillis.put(id, net.nowMillis());
      log("delete " + id + " " + bk + (read == null ? " blind" : " ctx" + ids(read)) + " via "
            + via + " -> " + (e == null ? "ok" : e.getClass().getSimpleName()));
    });
  }

  /** What any read may show: values that were written, never one beside a value that replaced it. */
  private void checkRead(String bk, FetchResult got, boolean allowMult) {
    List<String> ids = ids(got);
    for (String id : ids) {
      if (!writes.containsKey(id) || !writes.get(id).bucketKey().equals(bk)) {
        throw new AssertionError("read of " + bk + " returned " + id + ", never written there");
      }
    }
    if (!allowMult && ids.size() > 1) {
      throw new AssertionError("last-write-wins bucket returned siblings " + ids);
    }
    for (String a : ids) {
      for (String b : ids) {
        if (writes.get(b).ancestors().contains(a)) {
          throw new AssertionError("read of " + bk + " returned " + a + " beside " + b
              + ", which replaced it: siblings must be concurrent");
        }
      }
    }
  }

  // ---- healing and the final checks ----

  private void healAndConverge() {
    net.heal();
    net.lossRate = 0;
    for (String node : backends.keySet()) {
      if (!nodes.containsKey(node)) {
        start(node);
      }
    }
    log("heal all");
    boolean handedOff = false;
    for (int round = 0; round < HEAL_ROUNDS_MAX && !handedOff; round++) {
      tickAll();
      net.runFor(SimNetwork.TIMEOUT_MILLIS * 3);
      handedOff = nodes.values().stream().allMatch(n -> n.handoffsPending().isEmpty());
    }
    if (!handedOff) {
      throw new AssertionError("hinted handoff did not finish after healing");
    }
    Map<String, List<String>> finalReads = new TreeMap<>();
    for (int pass = 0; pass < 2; pass++) {
      for (String bucket : List.of(MULT, LWW)) {
        for (String key : KEYS) {
          String bk = bucket + "/" + key;
          CompletableFuture<FetchResult> read =
              nodes.get("n1").get(bucket, key, new ReadOptions(Quorum.ALL, Quorum.ALL));
          net.runUntil(read::isDone, EVENTS_PER_STEP_MAX);
          net.runFor(SimNetwork.TIMEOUT_MILLIS * 2);
          FetchResult got = read.join();
          checkRead(bk, got, bucket.equals(MULT));
          finalReads.put(bk, ids(got));
        }
      }
    }
    log("final reads " + finalReads);
    checkConverged();
    checkNothingAcknowledgedLost(finalReads);
    for (String bucket : List.of(MULT, LWW)) {
      ListingCheck.check(net, nodes.get("n1"), bucket, finalReads, EVENTS_PER_STEP_MAX);
    }
  }

  private void checkConverged() {
    diverged().ifPresent(bk -> {
      throw new AssertionError("replicas of " + bk + " differ after healing, handoff and read repair");
    });
  }

  /** A key whose primaries do not hold identical records, if any. */
  private Optional<String> diverged() {
    for (String bucket : List.of(MULT, LWW)) {
      for (String key : KEYS) {
        byte[] storageKey = KeyHash.encode(bucket, key);
        List<Replica> primaries = ring.preferenceList(ring.partitionOf(bucket, key), 3, n -> true);
        Optional<byte[]> first = backends.get(primaries.get(0).node())
            .get(primaries.get(0).partition(), storageKey);
        for (Replica r : primaries) {
          Optional<byte[]> mine = backends.get(r.node()).get(r.partition(), storageKey);
          if (mine.isPresent() != first.isPresent()
              || (mine.isPresent() && !Arrays.equals(mine.get(), first.get()))) {
            return Optional.of(bucket + "/" + key);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Where read repair and hinted handoff cannot help: after the cluster converged, one member's
   * disk is replaced (empty) or loses records behind the engine's back while it is down; it
   * restarts and nobody reads. Anti-entropy alone must make every key's primaries identical
   * again, holding what they held before.
   */
  private void loseADiskThenConvergeWithoutReads() {
    Map<String, Optional<byte[]>> before = records();
    List<String> members = ring.members().stream().filter(nodes::containsKey).toList();
    String victim = members.get(random.nextInt(members.size()));
    net.crash(victim);
    nodes.remove(victim);
    if (random.nextBoolean()) {
      backends.put(victim, new SimBackend());
      log("disk of " + victim + " replaced empty");
    } else {
      SimBackend disk = backends.get(victim);
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        List<byte[]> lost = new ArrayList<>();
        disk.fold(p, (k, v) -> {
          if (random.nextBoolean()) {
            lost.add(k);
          }
        });
        lost.forEach(k -> disk.delete(partition, k, true));
      }
      log("disk of " + victim + " lost records");
    }
    start(victim);
    int rounds = 0;
    for (; rounds < ANTI_ENTROPY_ROUNDS_MAX && diverged().isPresent(); rounds++) {
      tickAll();
      net.runFor(SimNetwork.TIMEOUT_MILLIS * 3);
    }
    log("anti-entropy rounds " + rounds);
    diverged().ifPresent(bk -> {
      throw new AssertionError("replicas of " + bk + " differ after " + ANTI_ENTROPY_ROUNDS_MAX
          + " rounds of anti-entropy with no reads, once " + victim + " lost its disk");
    });
    Map<String, Optional<byte[]>> after = records();
    if (!after.keySet().equals(before.keySet()) || after.entrySet().stream().anyMatch(e ->
        e.getValue().isPresent() != before.get(e.getKey()).isPresent()
            || (e.getValue().isPresent() && !Arrays.equals(e.getValue().get(), before.get(e.getKey()).get())))) {
      throw new AssertionError("anti-entropy changed what the primaries held: " + before.keySet());
    }
  }

  /** Each key's record on its first primary (all primaries hold the same when converged). */
  private Map<String, Optional<byte[]>> records() {
    Map<String, Optional<byte[]>> held = new TreeMap<>();
    for (String bucket : List.of(MULT, LWW)) {
      for (String key : KEYS) {
        Replica first = ring.preferenceList(ring.partitionOf(bucket, key), 3, n -> true).get(0);
        held.put(bucket + "/" + key,
            backends.get(first.node()).get(first.partition(), KeyHash.encode(bucket, key)));
      }
    }
    return held;
  }

  private void checkNothingAcknowledgedLost(Map<String, List<String>> finalReads) {
    for (Write w : writes.values()) {
      if (!acked.contains(w.id()) || w.id().startsWith("d")) {
        continue;
      }
      List<String> visible = finalReads.get(w.bucketKey());
      if (visible.contains(w.id())) {
        continue;
      }
      if (!replacedOrOutrun(w)) {
        throw new AssertionError("write " + w.id() + " to " + w.bucketKey()
            + " was acknowledged with dw >= 1 and is lost: the key reads " + visible);
      }
    }
  }

  /**
   * After every step: each write acknowledged with dw ≥ 1 is still held by some replica (in any
   * partition of any node, up or crashed: a crashed node's backend holds its synced state), or
   * was replaced by a write that saw it (or, last-write-wins, may have lost to a later one).
   */
  private void checkAcknowledgedWritesHeld() {
    Set<String> held = new HashSet<>();
    for (SimBackend backend : backends.values()) {
      for (int p = 0; p < PARTITIONS; p++) {
        backend.fold(p, (k, v) -> CausalObjectCodec.decode(v).siblings()
            .forEach(sib -> held.add(new String(sib.content().value(), StandardCharsets.UTF_8))));
      }
    }
    for (String id : acked) {
      Write w = writes.get(id);
      if (!held.contains(id) && !replacedOrOutrun(w)) {
        if (Boolean.getBoolean("kv.sim.debug")) {
          logReplicas(w.bucketKey());
        }
        throw new AssertionError("write " + id + " to " + w.bucketKey()
            + " was acknowledged with dw >= 1 and no replica holds it any more");
      }
    }
  }

  /** With -Dkv.sim.debug=true: every record of every node and the model's writes, into the trace. */
  private void logReplicas(String bucketKey) {
    backends.forEach((node, backend) -> {
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        backend.fold(p, (k, v) -> log("held " + node + "/" + partition + " "
            + CausalObjectCodec.decode(v).siblings().stream()
                .map(sib -> new String(sib.content().value(), StandardCharsets.UTF_8) + "@"
                    + sib.content().lastModifiedMillis() + (sib.content().deleted() ? "(del)" : ""))
                .toList()));
      }
    });
    writes.values().stream().filter(x -> x.bucketKey().equals(bucketKey))
        .forEach(x -> log("model " + x));
  }

  private boolean replacedOrOutrun(Write w) {
    boolean replaced = writes.values().stream()
        .anyMatch(x -> x.bucketKey().equals(w.bucketKey()) && x.ancestors().contains(w.id()));
    boolean lostByTimestamp = w.bucketKey().startsWith(LWW) && writes.values().stream()
        .anyMatch(x -> x != w && x.bucketKey().equals(w.bucketKey())
            && latestStampMillis.getOrDefault(x.id(), x.issuedMillis()) >= w.issuedMillis());
    return replaced || lostByTimestamp;
  }

  private static List<String> ids(FetchResult result) {
    return result.siblings().stream()
        .map(c -> new String(c.value(), StandardCharsets.UTF_8)).sorted().toList();
  }

  private void log(String line) {
    trace.addLast("t=" + net.nowMillis() + " " + line);
    if (trace.size() > TRACE_LINES_MAX) {
      trace.removeFirst();
    }
  }
}
