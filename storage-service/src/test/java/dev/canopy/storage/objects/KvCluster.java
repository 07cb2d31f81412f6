package dev.canopy.storage.objects;

import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.kv.PeerUnreachableException;
import dev.canopy.storage.kv.backend.MemoryBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real {@link KvNode}s in one JVM on {@link MemoryBackend}s, each reaching the others through an
 * in-process transport that hands requests to a worker pool, as the peer port's workers would. A
 * node marked down answers no one and reaches no one (a crashed machine), and comes back with its
 * data. Time is a {@link ManualTime} the test moves. Public for the other packages' tests of the
 * replicated store (the controllers' records on it).
 */
public final class KvCluster implements AutoCloseable {

  public static final int PARTITIONS = 16;

  public final ManualTime time = new ManualTime();
  public final Map<String, KvNode> nodes = new TreeMap<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  /** {@code size} nodes named n1..n{size}, N = min(3, size). */
  public KvCluster(int size) {
    this(size, Map.of());
  }

  /**
   * As {@link #KvCluster(int)}, with the nodes named in {@code clocks} on a clock of their own
   * (the others on {@link #time}): storage nodes whose clocks disagree.
   */
  public KvCluster(int size, Map<String, ManualTime> clocks) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      names.add("n" + i);
    }
    Ring ring = Ring.create(names, PARTITIONS, Math.min(3, size));
    for (String name : names) {
      nodes.put(name, new KvNode(name, ring, new MemoryBackend(), (peer, request) -> call(name, peer, request), clocks.getOrDefault(name, time),
          new SplittableRandom(name.hashCode())));
    }
  }

  public KvNode node(String name) {
    return nodes.get(name);
  }

  public KvNode first() {
    return nodes.values().iterator().next();
  }

  public void stop(String name) {
    down.add(name);
  }

  public void restart(String name) {
    down.remove(name);
  }

  private CompletableFuture<byte[]> call(String from, String to, byte[] request) {
    if (down.contains(from) || down.contains(to)) {
      return CompletableFuture.failedFuture(new PeerUnreachableException(to, "down in this test"));
    }
    KvNode target = nodes.get(to);
    return CompletableFuture.supplyAsync(() -> target.handle(from, request), workers).thenCompose(f -> f);
  }

  /** Stops the workers and lets go of the nodes and their data, even if a test instance lingers. */
  @Override
  public void close() {
    workers.shutdownNow();
    nodes.clear();
  }
}
