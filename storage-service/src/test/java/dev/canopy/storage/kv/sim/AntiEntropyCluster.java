package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.causality.Dot;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.KeyHash;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Three nodes on the simulator's network whose replicas are written straight into their
 * backends (so 100,000 keys load in a second), then made to diverge behind the engine's back;
 * {@link #tickUntilConverged} lets only the nodes' background work run, with no client reads.
 */
final class AntiEntropyCluster {

  static final List<String> NODES = List.of("n1", "n2", "n3");
  static final String BUCKET = "b";
  static final int PARTITIONS = 16;

  /** How one key's replicas were made to differ, and what they must all hold once repaired. */
  enum Divergence { MISSING, NEWER_ON_ONE, TOMBSTONE_ON_ONE, ONLY_TOMBSTONE_LEFT }

  final SimNetwork net;
  final Ring ring;
  final Map<String, SimBackend> backends = new TreeMap<>();
  final Map<String, KvNode> nodes = new TreeMap<>();
  /** Per diverged key, what its replicas must converge to (empty: the key must be gone). */
  final Map<String, Optional<byte[]>> expected = new TreeMap<>();
  final Map<String, Divergence> divergences = new TreeMap<>();
  private final SplittableRandom random;
  private final List<String> keys = new ArrayList<>();
  private long dots;

  AntiEntropyCluster(long seed, AntiEntropySettings settings) {
    this(seed, settings, PARTITIONS);
  }

  AntiEntropyCluster(long seed, AntiEntropySettings settings, int partitions) {
    random = new SplittableRandom(seed);
    net = new SimNetwork(random.split());
    ring = Ring.create(NODES, partitions, 3).withBucketProps(BUCKET, new BucketProps(3,
        Quorum.MAJORITY, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, false));
    for (String n : NODES) {
      backends.put(n, new SimBackend());
    }
    for (String n : NODES) {
      net.attach(n, (from, request) -> nodes.get(n).handle(from, request));
      nodes.put(n, new KvNode(n, ring, backends.get(n), net.transportFor(n), net.time,
          new SplittableRandom(random.nextLong()), settings));
    }
  }

  /** Writes {@code count} keys, the same object on each of a key's three replicas. */
  void load(int count) {
    for (int i = 0; i < count; i++) {
      String key = "k" + i;
      keys.add(key);
      byte[] record = CausalObjectCodec.encode(write(CausalObject.EMPTY, "v" + i, false));
      for (Replica r : replicas(key)) {
        backends.get(r.node()).put(r.partition(), KeyHash.encode(BUCKET, key), record, false);
      }
    }
  }

  /**
   * Makes {@code count} distinct keys differ on one replica each, in every {@link Divergence}
   * in turn, as a lost write, a write that reached one replica, or a partial reap would.
   */
  void diverge(int count) {
    List<String> shuffled = new ArrayList<>(keys);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
    }
    for (int i = 0; i < count; i++) {
      String key = shuffled.get(i);
      byte[] storageKey = KeyHash.encode(BUCKET, key);
      List<Replica> replicas = replicas(key);
      Replica odd = replicas.get(random.nextInt(replicas.size()));
      SimBackend oddDisk = backends.get(odd.node());
      CausalObject held = CausalObjectCodec.decode(oddDisk.get(odd.partition(), storageKey).orElseThrow());
      Divergence kind = Divergence.values()[i % Divergence.values().length];
      divergences.put(key, kind);
      switch (kind) {
        case MISSING -> {
          expected.put(key, oddDisk.get(odd.partition(), storageKey));
          oddDisk.delete(odd.partition(), storageKey, false);
        }
        case NEWER_ON_ONE, TOMBSTONE_ON_ONE -> {
          byte[] newer = CausalObjectCodec.encode(
              write(held, "newer", kind == Divergence.TOMBSTONE_ON_ONE));
          oddDisk.put(odd.partition(), storageKey, newer, false);
          expected.put(key, Optional.of(newer));
        }
        case ONLY_TOMBSTONE_LEFT -> {
          // Every replica held the tombstone; the reap reached all but the odd one.
          byte[] tombstone = CausalObjectCodec.encode(write(held, "", true));
          for (Replica r : replicas) {
            if (r.equals(odd)) {
              backends.get(r.node()).put(r.partition(), storageKey, tombstone, false);
            } else {
              backends.get(r.node()).delete(r.partition(), storageKey, false);
            }
          }
          expected.put(key, Optional.of(tombstone));
        }
      }
    }
  }

  /**
   * Ticks every node every {@code tickMillis} of simulated time until every key's replicas are
   * identical; the ticks it took, or -1 if {@code ticksMax} ran out. Only diverged keys are
   * checked between ticks (the others were never touched), all of them at the end.
   */
  int tickUntilConverged(long tickMillis, int ticksMax) {
    for (int tick = 0; tick < ticksMax; tick++) {
      if (expected.keySet().stream().allMatch(this::agree)) {
        return keys.stream().allMatch(this::agree) ? tick : -1;
      }
      nodes.values().forEach(KvNode::tick);
      net.runFor(tickMillis);
    }
    return -1;
  }

  /** Whether every replica of {@code key} holds the same record (or none holds it). */
  boolean agree(String key) {
    List<Optional<byte[]>> held = replicas(key).stream()
        .map(r -> backends.get(r.node()).peek(r.partition(), KeyHash.encode(BUCKET, key))).toList();
    return held.stream().allMatch(h -> h.isPresent() == held.get(0).isPresent()
        && (h.isEmpty() || Arrays.equals(h.get(), held.get(0).get())));
  }

  /** What the first replica of {@code key} holds. */
  Optional<byte[]> held(String key) {
    Replica first = replicas(key).get(0);
    return backends.get(first.node()).peek(first.partition(), KeyHash.encode(BUCKET, key));
  }

  long diskReads() {
    return backends.values().stream().mapToLong(b -> b.gets).sum();
  }

  List<Replica> replicas(String key) {
    return ring.preferenceList(ring.partitionOf(BUCKET, key), 3, n -> true);
  }

  private CausalObject write(CausalObject over, String value, boolean deleted) {
    Content content = new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", null,
        null, "t" + dots, 1_000 + dots, deleted);
    return over.update(over.clock(), new Dot(42, ++dots), content);
  }
}
