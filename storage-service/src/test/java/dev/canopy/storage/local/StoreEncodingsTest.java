package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.backend.ObjectMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The byte layouts of the store's keys and records. Key encodings must keep one bucket's, blob's
 * or upload's keys apart from every other's (prefix scans and range deletes rely on it) and sort
 * as the listings need; records must round-trip exactly and fail loudly when damaged.
 */
class StoreEncodingsTest {

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return LocalStore.startsWith(key, prefix);
  }

  private static byte[] blobId(int lastByte) {
    byte[] id = new byte[ChunkKeys.BLOB_ID_LENGTH];
    Arrays.fill(id, (byte) 0x5A);
    id[id.length - 1] = (byte) lastByte;
    return id;
  }

  @Test
  void chunkKeysSortByIndexAndStayInsideTheirBlobsRange() {
    byte[] blob = blobId(0x10);
    List<byte[]> keys = new ArrayList<>();
    for (int index : new int[] {0, 1, 255, 256, 65_535, 65_536, Integer.MAX_VALUE}) {
      byte[] key = ChunkKeys.chunk(blob, index);
      assertThat(key).hasSize(ChunkKeys.BLOB_ID_LENGTH + 4);
      assertThat(startsWith(key, blob)).isTrue();
      // Inside [blobId, blobEnd): the range a blob's deletion removes.
      assertThat(Arrays.compareUnsigned(key, blob)).isPositive();
      assertThat(Arrays.compareUnsigned(key, ChunkKeys.blobEnd(blob))).isNegative();
      keys.add(key);
    }
    for (int i = 1; i < keys.size(); i++) {
      assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).as("chunk order " + i).isNegative();
    }
  }

  @Test
  void aBlobsRangeHoldsNoChunkOfItsNeighbours() {
    byte[] blob = blobId(0x10);
    byte[] end = ChunkKeys.blobEnd(blob);
    for (byte[] neighbour : List.of(blobId(0x0F), blobId(0x11), blobId(0xFF), blobId(0x00))) {
      for (int index : new int[] {0, 7, Integer.MAX_VALUE, -1}) {
        byte[] key = ChunkKeys.chunk(neighbour, index);
        boolean inside = Arrays.compareUnsigned(key, blob) >= 0 && Arrays.compareUnsigned(key, end) < 0;
        assertThat(inside).as(HexFormat.of().formatHex(key)).isFalse();
      }
    }
  }

  @Test
  void blobIdsRoundTripThroughHex() {
    byte[] blob = blobId(0xAB);
    assertThat(ChunkKeys.unhex(ChunkKeys.hex(blob))).isEqualTo(blob);
    assertThat(ChunkKeys.hex(blob)).hasSize(32).matches("[0-9a-f]+");
  }

  @Test
  void bucketsThatShareAPrefixNeverShareKeys() {
    // "a" + "\0" is no prefix of bucket "ab" or "a-b", so a scan of "a" never reaches them.
    for (String other : List.of("ab", "a-b", "a.b", "aa")) {
      assertThat(startsWith(ObjectKeys.object(other, "k"), ObjectKeys.bucketPrefix("a"))).as(other).isFalse();
      assertThat(startsWith(ObjectKeys.uploadIndex(other, "k", "id"), ObjectKeys.uploadIndexPrefix("a"))).as(other).isFalse();
    }
    assertThat(startsWith(ObjectKeys.object("a", "b/c"), ObjectKeys.bucketPrefix("a"))).isTrue();
    // Bucket "a" with key "bc" and bucket "ab" with key "c" are different records.
    assertThat(ObjectKeys.object("a", "bc")).isNotEqualTo(ObjectKeys.object("ab", "c"));
  }

  @Test
  void objectKeysSortInS3sListingOrder() {
    List<String> keys = List.of("a", "a/", "a/b", "a0", "b", "é", "\uFF01", "😀");
    for (int i = 1; i < keys.size(); i++) {
      byte[] before = ObjectKeys.object("bkt", keys.get(i - 1));
      byte[] after = ObjectKeys.object("bkt", keys.get(i));
      assertThat(Arrays.compareUnsigned(before, after)).as(keys.get(i - 1) + " < " + keys.get(i)).isNegative();
    }
  }

  @Test
  void uploadKeysOfDifferentKindsAndIdsNeverCollide() {
    byte[] upload = ObjectKeys.upload("abc");
    byte[] partPrefix = ObjectKeys.partPrefix("abc");
    byte[] index = ObjectKeys.uploadIndexPrefix("abc");
    // One leading letter per kind: no upload, part or index key is a prefix of another kind's.
    assertThat(upload[0]).isNotEqualTo(partPrefix[0]).isNotEqualTo(index[0]);
    // Upload "ab"'s parts are not upload "abc"'s.
    assertThat(startsWith(ObjectKeys.part("abc", 1), ObjectKeys.partPrefix("ab"))).isFalse();
    assertThat(startsWith(ObjectKeys.part("ab", 1), ObjectKeys.partPrefix("ab"))).isTrue();
    // Parts sort by number, not by decimal text: 2 before 10 before 10,000.
    assertThat(Arrays.compareUnsigned(ObjectKeys.part("abc", 2), ObjectKeys.part("abc", 10))).isNegative();
    assertThat(Arrays.compareUnsigned(ObjectKeys.part("abc", 10), ObjectKeys.part("abc", 10_000))).isNegative();
  }

  @Test
  void theUploadIndexSortsByKeyBeforeUploadId() {
    // Key "a" sorts before key "a/b" whatever the upload ids, as ListMultipartUploads needs.
    byte[] shortKey = ObjectKeys.uploadIndex("bkt", "a", "ffff");
    byte[] longKey = ObjectKeys.uploadIndex("bkt", "a/b", "0000");
    assertThat(Arrays.compareUnsigned(shortKey, longKey)).isNegative();
    assertThat(Arrays.compareUnsigned(ObjectKeys.uploadIndex("bkt", "a", "0001"), ObjectKeys.uploadIndex("bkt", "a", "0002")))
        .isNegative();
  }

  @Test
  void aManifestRoundTripsExactly() {
    ObjectMetadata metadata = new ObjectMetadata("text/plain; charset=utf-8", "gzip", "attachment; filename=\"ü.txt\"",
        "no-cache", "de-CH", "Tue, 01 Jan 2030 00:00:00 GMT", Map.of("z-last", "1", "a-first", "ü 😀 \"quoted\""));
    Manifest manifest = new Manifest("dir/ü/😀 key", 5L * 1024 * 1024 * 1024, "0123456789abcdef0123456789abcdef-2",
        1_767_225_600_123L, metadata, Map.of("crc32", "AAAAAA==", "sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        2, 1024 * 1024, List.of(new Manifest.Segment("00".repeat(16), 5L * 1024 * 1024 * 1024), new Manifest.Segment("ff".repeat(16), 0)));
    Manifest back = Records.decode(Records.encode(manifest), Manifest.class);
    assertThat(back).isEqualTo(manifest);
    assertThat(back.info().metadata().userMetadata()).containsExactly(
        Map.entry("a-first", "ü 😀 \"quoted\""), Map.entry("z-last", "1"));
    assertThat(back.summary().size()).isEqualTo(5L * 1024 * 1024 * 1024);
  }

  @Test
  void aRecordWithAFieldAddedLaterStillReads() {
    byte[] written = Records.encode(new RocksUploads.PartRecord(3, "ab".repeat(16), 42, "00".repeat(16), 7));
    String json = new String(written, StandardCharsets.UTF_8);
    String newer = json.substring(0, json.length() - 1) + ",\"addedInALaterVersion\":true}";
    RocksUploads.PartRecord read = Records.decode(newer.getBytes(StandardCharsets.UTF_8), RocksUploads.PartRecord.class);
    assertThat(read.partNumber()).isEqualTo(3);
    assertThat(read.size()).isEqualTo(42);
  }

  @Test
  void aDamagedRecordIsAStoreFailureNotAWrongAnswer() {
    byte[] written = Records.encode(new RocksUploads.PartRecord(3, "ab".repeat(16), 42, "00".repeat(16), 7));
    byte[] truncated = Arrays.copyOf(written, written.length / 2);
    assertThatThrownBy(() -> Records.decode(truncated, RocksUploads.PartRecord.class))
        .isInstanceOf(StoreException.class).hasMessageContaining("PartRecord");
    assertThatThrownBy(() -> Records.decode("not json".getBytes(StandardCharsets.UTF_8), Manifest.class))
        .isInstanceOf(StoreException.class).hasMessageContaining("Manifest");
  }
}
