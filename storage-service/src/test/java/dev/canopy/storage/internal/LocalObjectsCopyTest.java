package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectsCopyTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-06T00:00:00Z"));

  @TempDir Path dir;
  private LocalStore oldStore;
  private LocalStore newStore;
  private RocksObjectBackend old;
  private RocksObjectBackend replicated;

  @BeforeEach
  void open() {
    oldStore = LocalStore.open(dir.resolve("old"));
    newStore = LocalStore.open(dir.resolve("new"));
    old = new RocksObjectBackend(oldStore, CLOCK, new Random(1));
    replicated = new RocksObjectBackend(newStore, CLOCK, new Random(2));
  }

  @AfterEach
  void close() {
    oldStore.close();
    newStore.close();
  }

  @Test
  void everyObjectMovesWithItsBytesAndMetadataAndLeavesTheOldStore() throws Exception {
    byte[] big = new byte[2 * 1024 * 1024 + 17];
    new Random(3).nextBytes(big);
    ObjectMetadata typed = new ObjectMetadata("text/plain", null, "inline", null, null, null, Map.of("owner", "ann"));
    put(old, "photos", "a/b.jpg", big, ObjectMetadata.empty());
    put(old, "photos", "empty", new byte[0], ObjectMetadata.empty());
    put(old, "notes", "ü/x y", "hello".getBytes(), typed);

    assertThat(new LocalObjectsCopy(old, replicated).moveAll()).isEqualTo(3);

    assertThat(read(replicated, "photos", "a/b.jpg")).isEqualTo(big);
    assertThat(read(replicated, "photos", "empty")).isEmpty();
    assertThat(read(replicated, "notes", "ü/x y")).isEqualTo("hello".getBytes());
    ObjectInfo moved = replicated.head("notes", "ü/x y").orElseThrow();
    assertThat(moved.metadata()).isEqualTo(typed);
    assertThat(moved.etag()).isEqualTo(hexMd5("hello".getBytes()));
    assertThat(old.head("photos", "a/b.jpg")).isEmpty();
    assertThat(old.firstObjects(10)).isEmpty();
  }

  @Test
  void aSecondStartMovesNothingAndChangesNothing() {
    put(old, "b", "k", "v1".getBytes(), ObjectMetadata.empty());
    new LocalObjectsCopy(old, replicated).moveAll();
    put(replicated, "b", "k", "v2".getBytes(), ObjectMetadata.empty());

    assertThat(new LocalObjectsCopy(old, replicated).moveAll()).isZero();
    assertThat(read(replicated, "b", "k")).isEqualTo("v2".getBytes());
  }

  private static void put(ObjectBackend backend, String bucket, String key, byte[] bytes, ObjectMetadata metadata) {
    BlobWriter blob = backend.newBlob();
    blob.write(ByteBuffer.wrap(bytes));
    backend.commitObject(bucket, key, blob, md5(bytes), metadata, Map.of());
  }

  private static byte[] read(ObjectBackend backend, String bucket, String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectReader reader = backend.open(bucket, key)) {
      for (long offset = 0; offset < reader.info().size(); ) {
        byte[] bytes = reader.read(offset, 64 * 1024);
        out.writeBytes(bytes);
        offset += bytes.length;
      }
    }
    return out.toByteArray();
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hexMd5(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(md5(bytes));
  }
}
