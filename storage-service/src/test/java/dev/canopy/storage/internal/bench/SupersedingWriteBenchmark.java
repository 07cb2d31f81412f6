package dev.canopy.storage.internal.bench;

import dev.canopy.storage.internal.ReplicatedSystemStore;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.local.SystemStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The controllers' record writes ({@link ReplicatedSystemStore#putAll}, as the grid's grouped
 * write-through sends them: 64 records of 1 KiB that all exist already) on {@link
 * ThreeStorageNodes}, N = 3, r = w = dw = 2, through the first node. {@code superseding} is the
 * store as it is ({@link KvService#putSuperseding} on the node: one round of messages per record);
 * {@code readThenWrite} the same store over a view of the node that only has the interface's
 * default, the quorum read then the write that each record cost before. The score is milliseconds
 * per batch of 64; {@link SupersedingWriteReport} prints the ratio and the peer calls per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SupersedingWriteBenchmark {

  static final int RECORDS = 64;
  static final int KEYS = 1_024;

  @Param({"superseding", "readThenWrite"})
  public String path;

  private ThreeStorageNodes nodes;
  private SystemStore store;
  private byte[] value;
  private int next;

  @Setup(Level.Trial)
  public void start() throws Exception {
    nodes = new ThreeStorageNodes();
    store = new ReplicatedSystemStore(path.equals("superseding") ? nodes.first() : withDefaultsOnly(nodes.first()));
    value = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < KEYS / RECORDS; i++) {
      batch();
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    nodes.close();
  }

  @Benchmark
  public void batch() {
    List<SystemStore.Write> writes = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      writes.add(new SystemStore.Write("instances", "i-" + (next++ % KEYS), value));
    }
    store.putAll(writes);
  }

  /** The node seen through {@link KvService} alone: its default methods are the interface's, not the node's. */
  static KvService withDefaultsOnly(KvService node) {
    InvocationHandler handler = (proxy, method, args) -> method.isDefault()
        ? InvocationHandler.invokeDefault(proxy, method, args)
        : method.invoke(node, args);
    return (KvService) Proxy.newProxyInstance(KvService.class.getClassLoader(), new Class<?>[] {KvService.class}, handler);
  }
}
