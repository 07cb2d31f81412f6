package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.kv.KvService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A blob's chunks are replicated while the next ones arrive, a bounded few at a time, and a
 * download reads the next chunk while it sends this one: the store's round trips overlap the
 * stream instead of adding up. The store here answers every chunk call 200 ms late, as a busy
 * replica would.
 */
class ChunkPipelineTest {

  private static final int MIB = BackendIo.MIB;
  private static final long LATE_MILLIS = 200;

  private final KvCluster cluster = new KvCluster(1);
  private final AtomicInteger chunkCallsUnderWay = new AtomicInteger();
  private final AtomicInteger chunkCallsUnderWayMax = new AtomicInteger();
  private final KvObjectBackend backend = new KvObjectBackend(late(cluster.first()), cluster.time, new SplittableRandom(3),
      ObjectStoreSettings.DEFAULTS);
  private final BackendIo io = new BackendIo(() -> backend);

  @AfterEach
  void close() {
    cluster.close();
  }

  /** The node, with each call on the chunks bucket answered late and counted while under way. */
  private KvService late(KvService node) {
    return (KvService) Proxy.newProxyInstance(KvService.class.getClassLoader(), new Class<?>[] {KvService.class},
        (proxy, method, args) -> {
          boolean chunkCall = args != null && KvLayout.CHUNKS.equals(args[0]);
          if (chunkCall) {
            // Counted from the call on: the node may do its own replica's work before it returns.
            chunkCallsUnderWayMax.accumulateAndGet(chunkCallsUnderWay.incrementAndGet(), Math::max);
          }
          Object answer;
          try {
            answer = method.invoke(node, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (!chunkCall || !(answer instanceof CompletableFuture<?> call)) {
            return answer;
          }
          return call.thenApplyAsync(value -> {
            chunkCallsUnderWay.decrementAndGet();
            return value;
          }, CompletableFuture.delayedExecutor(LATE_MILLIS, TimeUnit.MILLISECONDS));
        });
  }

  @Test
  void chunkWritesOverlapUpToTheirBoundAndEveryChunkIsWrittenBeforeTheCommitReturns() {
    byte[] data = io.randomBytes(8 * MIB + 5);
    io.put("big", data);

    assertThat(chunkCallsUnderWayMax.get()).as("writes overlapped").isEqualTo(KvBlobWriter.CHUNK_WRITES_STARTED_MAX);
    assertThat(chunkCallsUnderWay.get()).as("none left under way after the commit").isZero();
    assertThat(io.readAll("bkt", "big")).isEqualTo(data);
  }

  @Test
  void readingInOrderReadsTheNextChunkAheadAndARangeReadDoesNot() {
    byte[] data = io.randomBytes(4 * MIB);
    io.put("big", data);
    await().atMost(java.time.Duration.ofSeconds(5)).until(() -> chunkCallsUnderWay.get() == 0);

    try (ObjectReader reader = backend.open("bkt", "big")) {
      assertThat(BackendIo.readRange(reader, 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 21));
      assertThat(chunkCallsUnderWay.get()).as("a range within one chunk reads nothing ahead").isZero();
    }
    try (ObjectReader reader = backend.open("bkt", "big")) {
      assertThat(BackendIo.readRange(reader, 0, 2L * MIB - 1)).isEqualTo(java.util.Arrays.copyOf(data, 2 * MIB));
      assertThat(chunkCallsUnderWay.get()).as("chunk 2 is on its way before it is asked for").isEqualTo(1);
      assertThat(BackendIo.readRange(reader, 2L * MIB, data.length - 1))
          .isEqualTo(java.util.Arrays.copyOfRange(data, 2 * MIB, data.length));
    }
  }
}
