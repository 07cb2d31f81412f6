package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.backend.MemoryBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: how long one 1,000-key page out of a 10,000-key bucket takes on three in-process
 * nodes (memory backends, the simulator's network with its delays taking no real time, 64
 * partitions, n_val 3, r = quorum). Run its main from the test classpath; it prints the figure.
 */
final class ListPageHarness {

  public static void main(String[] args) {
    SimNetwork net = new SimNetwork(new SplittableRandom(1));
    List<String> names = List.of("n1", "n2", "n3");
    Ring ring = Ring.create(names, 64, 3);
    Map<String, KvNode> nodes = new TreeMap<>();
    for (String n : names) {
      net.attach(n, (from, req) -> nodes.get(n).handle(from, req));
      nodes.put(n, new KvNode(n, ring, new MemoryBackend(), net.transportFor(n), net.time,
          new SplittableRandom(n.hashCode())));
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      writes.add(nodes.get(names.get(i % 3)).put("bucket", String.format("photos/%06d.jpg", i),
          null, SimCalls.text("{\"size\":1234,\"etag\":\"0123456789abcdef0123456789abcdef\"}"),
          WriteOptions.DEFAULTS));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    net.runUntil(all::isDone, 100_000_000);
    all.join();
    ReadOptions quorum = new ReadOptions(Quorum.MAJORITY, Quorum.of(0));
    int rounds = Integer.getInteger("rounds", 30);
    long[] micros = new long[rounds];
    for (int round = 0; round < rounds; round++) {
      String after = round % 10 == 0 ? null : String.format("photos/%06d.jpg", (round % 10) * 1000 - 1);
      long started = System.nanoTime();
      CompletableFuture<KeyPage> page = nodes.get("n1").listPage("bucket", null, after, 1000, quorum);
      net.runUntil(page::isDone, 100_000_000);
      if (page.join().keys().size() != 1000) {
        throw new IllegalStateException("a page of " + page.join().keys().size());
      }
      micros[round] = (System.nanoTime() - started) / 1000;
    }
    java.util.Arrays.sort(micros);
    System.out.printf("listPage 1000 of 10000, 3 nodes, Q=64: median %d us, min %d us, max %d us over %d pages%n",
        micros[rounds / 2], micros[0], micros[rounds - 1], rounds);
  }
}
