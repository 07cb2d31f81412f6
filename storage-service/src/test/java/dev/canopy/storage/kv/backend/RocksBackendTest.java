package dev.canopy.storage.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
  void aDirectoryThatCannotBeMadeIsABackendException() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a directory");
    assertThatThrownBy(() -> RocksBackend.open(file.resolve("kv"))).isInstanceOf(BackendException.class);
  }
}
