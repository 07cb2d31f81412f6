package dev.canopy.cloud.storeclient.bench;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.storeclient.RemoteSystemStore;
import dev.canopy.cloud.storeclient.RetryPolicy;
import dev.canopy.cloud.storeclient.StoragePeers;
import dev.canopy.core.time.SystemTime;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.SystemStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * 1,000 records read by a controller's {@link RemoteSystemStore} from a real {@link
 * InternalKvServer} over mutual TLS (certificates from the real CA) on loopback, the server over a
 * RocksDB {@link LocalStore} in a temp dir: {@code batch} is {@code getAll} (one {@code POST
 * /v1/kv/{namespace}?get} per 1,000 keys), {@code perKey} the loop of single gets that {@code
 * getAll} was before (one round trip per record). 900 of the keys have a record, 100 do not, as a
 * month-end run asks for accounts that had no usage. The score is milliseconds per 1,000 keys;
 * {@link KvBatchGetRatio} prints perKey / batch from the JSON results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KvBatchGetBenchmark {

  static final String NAMESPACE = "metering-ledgers";
  static final int KEYS = 1_000;
  static final int PRESENT = 900;

  /** 1 KiB: a small record; 32 KiB: an account-month ledger of two instances (binary, ~8 B a row). */
  @Param({"1024", "32768"})
  public int valueBytes;

  private Path dir;
  private Vertx vertx;
  private LocalStore local;
  private InternalKvServer server;
  private RemoteSystemStore store;
  private List<String> keys;

  @Setup(Level.Trial)
  public void start() throws IOException {
    SecureRandom random = new SecureRandom();
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(new InMemoryTable<>(),
        new SecretBox(MasterKey.generate(random), random), "bench", SystemTime.INSTANCE, random);
    TlsCredentials storage = StoragePeers.storageCredentials(ca, "st-1", Duration.ofDays(1), random);
    TlsCredentials controller = ca.controllerCredentials("ctl-1", List.of("127.0.0.1"), Duration.ofDays(1));

    dir = Files.createTempDirectory("canopy-kv-batch-bench");
    local = LocalStore.open(dir.resolve("store"));
    keys = new ArrayList<>(KEYS);
    List<SystemStore.Write> writes = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      String key = String.format("%012d/2026-11", 100_000_000_000L + i);
      keys.add(key);
      if (i < PRESENT) {
        byte[] value = new byte[valueBytes];
        random.nextBytes(value);
        writes.add(new SystemStore.Write(NAMESPACE, key, value));
      }
    }
    local.putAll(writes);
    vertx = Vertx.vertx();
    server = new InternalKvServer(vertx, local, StoragePeers.serverTls(storage, SystemTime.INSTANCE));
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    store = RemoteSystemStore.connect(URI.create("https://127.0.0.1:" + port), controller, SystemTime.INSTANCE,
        new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50)));
    if (batch().size() != PRESENT || perKey().size() != PRESENT) {
      throw new IllegalStateException("the two ways read different records");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    server.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    local.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (UncheckedIOException e) {
      // A temp dir left behind is not worth failing the run for.
    }
  }

  @Benchmark
  public Map<String, byte[]> batch() {
    return store.getAll(NAMESPACE, keys);
  }

  /** What {@code SystemStore.getAll}'s default does: a get per key. */
  @Benchmark
  public Map<String, byte[]> perKey() {
    Map<String, byte[]> found = new HashMap<>();
    for (String key : keys) {
      store.get(NAMESPACE, key).ifPresent(value -> found.put(key, value));
    }
    return found;
  }
}
