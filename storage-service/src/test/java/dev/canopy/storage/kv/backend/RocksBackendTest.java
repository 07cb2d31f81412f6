package dev.canopy.storage.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/** The contract on RocksDB, and what only a database on disk can show: reopening, RocksDB's own errors. */
class RocksBackendTest extends KvBackendContract {

  @TempDir Path dir;

  @Override
  KvBackend newBackend() {
    return RocksBackend.open(dir.resolve("kv"));
  }

  @Test
  void reopeningKeepsSyncedAndSyncedThroughRecords() {
    backend.put(1, bytes("synced"), bytes("s"), true);
    backend.put(2, bytes("synced by sync()"), bytes("t"), false);
    backend.put(3, bytes("dropped"), bytes("d"), true);
    backend.delete(1, bytes("never"), true);
    backend.sync();
    backend.drop(3);
    backend.close();
    backend = newBackend();
    assertThat(backend.get(1, bytes("synced"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("s")));
    assertThat(foldKeys(2)).containsExactly("synced by sync()");
    assertThat(backend.isEmpty(3)).isTrue();
  }

  /** Chunk-sized values go to blob files (see {@link RocksBackend#BLOB_BYTES_MIN}) and read back whole. */
  @Test
  void largeValuesLiveInBlobFilesAndSurviveReopeningAndDrops() throws Exception {
    byte[] chunk = new byte[(int) RocksBackend.BLOB_BYTES_MIN * 4];
    new java.util.SplittableRandom(9).nextBytes(chunk);
    backend.put(1, bytes("chunk"), chunk, true);
    backend.put(2, bytes("dropped chunk"), chunk, true);
    backend.close();
    backend = newBackend(); // recovery flushes the log into tables, and the large values into blob files

    try (var files = java.nio.file.Files.list(dir.resolve("kv"))) {
      assertThat(files.map(f -> f.getFileName().toString())).anyMatch(name -> name.endsWith(".blob"));
    }
    assertThat(backend.get(1, bytes("chunk"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(chunk));
    assertThat(backend.get(1, bytes("absent"))).isEmpty();
    backend.drop(2);
    assertThat(backend.isEmpty(2)).isTrue();
    assertThat(foldKeys(1)).containsExactly("chunk");
  }

  @Test
  void aRocksDbErrorIsABackendException() {
    // RocksDB refuses a second open of a directory it holds locked: a real RocksDBException.
    assertThatThrownBy(() -> RocksBackend.open(dir.resolve("kv")))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("cannot open")
        .hasCauseInstanceOf(RocksDBException.class);
    // The first one is unharmed.
    backend.put(1, bytes("k"), bytes("v"), true);
    assertThat(backend.get(1, bytes("k"))).isPresent();
  }

  @Test
  void closeWaitsForAFoldInProgressAndLaterCallsFail() throws Exception {
    backend.put(1, bytes("a"), bytes("1"), false);
    backend.put(1, bytes("b"), bytes("2"), false);
    CountDownLatch inFold = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> fold = threads.submit(() -> backend.fold(1, (k, v) -> {
        seen.add(new String(k, StandardCharsets.UTF_8));
        inFold.countDown();
        await(release);
      }));
      assertThat(inFold.await(30, TimeUnit.SECONDS)).isTrue();
      Future<?> close = threads.submit(backend::close);
      // The close is held back by the fold (a native call on a closed database would crash the JVM).
      assertThatThrownBy(() -> close.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      release.countDown();
      fold.get(30, TimeUnit.SECONDS);
      close.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    assertThat(seen).containsExactly("a", "b");
    assertThatThrownBy(() -> backend.get(1, bytes("a"))).isInstanceOf(BackendException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aDirectoryThatCannotBeMadeIsABackendException() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a directory");
    assertThatThrownBy(() -> RocksBackend.open(file.resolve("kv"))).isInstanceOf(BackendException.class);
  }
}
