package dev.canopy.storage.internal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.internal.ReplicatedSystemStore;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code JMH_REPORT} of {@link SupersedingWriteBenchmark}: read-then-write's time per batch
 * over the superseding write's, from the JMH JSON results (the first argument, else {@code
 * bench/results/superseding-write.json}), and the peer calls and the CPU time per record each path
 * costs, over 15 rewrites each of 1,024 existing records (after as many to warm up, the two in
 * turns) on a fresh {@link ThreeStorageNodes}.
 */
public final class SupersedingWriteReport {

  private SupersedingWriteReport() {}

  public static void main(String[] args) throws Exception {
    java.nio.file.Path results = java.nio.file.Path.of(args.length > 0 ? args[0] : "bench/results/superseding-write.json");
    double superseding = Double.NaN;
    double readThenWrite = Double.NaN;
    if (Files.exists(results)) {
      for (JsonNode run : new ObjectMapper().readTree(results.toFile())) {
        if (!run.path("benchmark").asText().startsWith(SupersedingWriteBenchmark.class.getName() + ".")) {
          continue;
        }
        double score = run.path("primaryMetric").path("score").asDouble();
        if (run.path("params").path("path").asText().equals("superseding")) {
          superseding = score;
        } else {
          readThenWrite = score;
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "ms per batch of %d: superseding %.2f, read-then-write %.2f, read-then-write / superseding %.2f%n",
        SupersedingWriteBenchmark.RECORDS, superseding, readThenWrite, readThenWrite / superseding);
    try (ThreeStorageNodes nodes = new ThreeStorageNodes()) {
      KvService node = nodes.first();
      Path supersedingPath = new Path(nodes, new ReplicatedSystemStore(node), "superseding");
      Path readThenWritePath = new Path(nodes, new ReplicatedSystemStore(SupersedingWriteBenchmark.withDefaultsOnly(node)), "read-then-write");
      // Warmed up alike, then measured in turns, so that neither pays more of the JIT's and the GC's work.
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        supersedingPath.round(false);
        readThenWritePath.round(false);
      }
      for (int i = 0; i < MEASURED_ROUNDS; i++) {
        supersedingPath.round(true);
        readThenWritePath.round(true);
      }
      System.out.printf(Locale.ROOT, "peer calls per record write: superseding %.2f, read-then-write %.2f%n",
          supersedingPath.peerCallsPerWrite(), readThenWritePath.peerCallsPerWrite());
      System.out.printf(Locale.ROOT, "CPU per record write (the three nodes, this process): superseding %.0f us, read-then-write %.0f us,"
          + " read-then-write / superseding %.2f%n", supersedingPath.cpuMicrosPerWrite(), readThenWritePath.cpuMicrosPerWrite(),
          readThenWritePath.cpuMicrosPerWrite() / supersedingPath.cpuMicrosPerWrite());
    }
  }

  static final int WARM_UP_ROUNDS = 15;
  static final int MEASURED_ROUNDS = 15;

  /** One way of writing: rounds that rewrite the same 1,024 records of its own namespace, and what the measured ones cost. */
  private static final class Path {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final ThreeStorageNodes nodes;
    private final SystemStore store;
    private final List<SystemStore.Write> writes = new ArrayList<>();
    private long peerCalls;
    private long cpuNanos;
    private long written;

    Path(ThreeStorageNodes nodes, SystemStore store, String namespace) {
      this.nodes = nodes;
      this.store = store;
      byte[] value = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < SupersedingWriteBenchmark.KEYS; i++) {
        writes.add(new SystemStore.Write(namespace, "k-" + i, value));
      }
      store.putAll(writes);
    }

    void round(boolean measured) {
      long calls = nodes.peerCalls.get();
      long cpu = OS.getProcessCpuTime();
      store.putAll(writes);
      if (measured) {
        cpuNanos += OS.getProcessCpuTime() - cpu;
        peerCalls += nodes.peerCalls.get() - calls;
        written += writes.size();
      }
    }

    double peerCallsPerWrite() {
      return peerCalls / (double) written;
    }

    double cpuMicrosPerWrite() {
      return cpuNanos / 1000.0 / written;
    }
  }
}
