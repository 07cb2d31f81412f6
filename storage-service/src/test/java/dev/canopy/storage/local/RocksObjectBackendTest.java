package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectBackendContract;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.UploadInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract on one node's RocksDB, and how it frees chunks at once in its batches. */
class RocksObjectBackendTest extends ObjectBackendContract {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z"));

  @TempDir Path dir;
  private LocalStore store;
  private RocksObjectBackend backend;

  @BeforeEach
  void open() {
    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, CLOCK, new Random(7), RocksObjectBackend.CHUNK_SIZE, MultipartRules.PART_SIZE_MIN);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  protected ObjectBackend backend() {
    return backend;
  }

  private int chunkCount() {
    return StoreProbe.chunkCount(store);
  }

  @Test
  void a20MibObjectIsTwentyOneChunks() {
    io.put("big", io.randomBytes(20 * MIB + 12345));
    assertThat(chunkCount()).isEqualTo(21);
  }

  @Test
  void overwriteAndDeleteFreeTheOldChunksAtOnce() {
    io.put("k", io.randomBytes(3 * MIB));
    try (ObjectReader before = backend.open("bkt", "k")) {
      io.put("k", io.randomBytes(MIB / 2));
      // The snapshot still serves the replaced version though its chunks are gone.
      assertThat(chunkCount()).isEqualTo(1);
    }
    backend.delete("bkt", "k");
    assertThat(chunkCount()).isZero();
  }

  @Test
  void abortFreesTheChunks() {
    BlobWriter blob = io.stream(io.randomBytes(2 * MIB + 5));
    assertThat(chunkCount()).isEqualTo(2);
    blob.abort();
    assertThat(chunkCount()).isZero();
  }

  @Test
  void reopenFindsCommittedDataAndSweepsOrphans() {
    byte[] data = io.randomBytes(MIB + 1);
    io.put("kept", data);
    io.stream(io.randomBytes(3 * MIB)); // never committed: as if the process died mid-upload
    assertThat(chunkCount()).isEqualTo(2 + 3);
    store.close();

    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, CLOCK, new Random(8));
    assertThat(store.sweptBlobCount()).isEqualTo(1);
    assertThat(chunkCount()).isEqualTo(2);
    assertThat(io.readAll("bkt", "kept")).isEqualTo(data);
  }

  @Test
  void multipartCompleteCopiesNoDataAndAbortFreesParts() {
    byte[] p1 = io.randomBytes(5 * MIB);
    byte[] p2 = io.randomBytes(1000);
    UploadInfo upload = backend.createUpload("bkt", "mp", ObjectMetadata.empty());
    backend.commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(io.randomBytes(10)), BackendIo.md5(new byte[0]));
    PartInfo part1 = backend.commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(p1), BackendIo.md5(p1));
    PartInfo part2 = backend.commitPart("bkt", "mp", upload.uploadId(), 2, io.stream(p2), BackendIo.md5(p2));
    int chunksBefore = chunkCount();
    assertThat(chunksBefore).as("the replaced part 1 was freed").isEqualTo(6);
    backend.completeUpload("bkt", "mp", upload.uploadId(),
        List.of(new CompletedPart(1, part1.etag()), new CompletedPart(2, part2.etag())));
    assertThat(chunkCount()).isEqualTo(chunksBefore);
    backend.delete("bkt", "mp");
    assertThat(chunkCount()).isZero();

    UploadInfo aborted = backend.createUpload("bkt", "x", ObjectMetadata.empty());
    backend.commitPart("bkt", "x", aborted.uploadId(), 1, io.stream(io.randomBytes(MIB + 1)), BackendIo.md5(new byte[0]));
    backend.abortUpload("bkt", "x", aborted.uploadId());
    assertThat(chunkCount()).isZero();
  }
}
