package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.UploadInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksObjectBackendTest {

  private static final int MIB = 1024 * 1024;
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z"));

  @TempDir Path dir;
  private LocalStore store;
  private RocksObjectBackend backend;
  private final Random random = new Random(42);

  @BeforeEach
  void open() {
    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, CLOCK, new Random(7), RocksObjectBackend.CHUNK_SIZE, MultipartRules.PART_SIZE_MIN);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }

  private static byte[] md5(byte[] data) throws Exception {
    return MessageDigest.getInstance("MD5").digest(data);
  }

  /** Writes in odd-sized pieces, as network buffers arrive. */
  private BlobWriter stream(byte[] data) {
    BlobWriter blob = backend.newBlob();
    int offset = 0;
    while (offset < data.length) {
      int n = Math.min(data.length - offset, 1 + random.nextInt(300_000));
      blob.write(ByteBuffer.wrap(data, offset, n));
      offset += n;
    }
    return blob;
  }

  private ObjectInfo put(String key, byte[] data) throws Exception {
    return backend.commitObject("bkt", key, stream(data), md5(data), ObjectMetadata.empty(), Map.of());
  }

  private static byte[] readRange(ObjectReader reader, long first, long last) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = first;
    while (offset <= last) {
      byte[] piece = reader.read(offset, (int) Math.min(Integer.MAX_VALUE, last - offset + 1));
      assertThat(piece).isNotEmpty();
      out.write(piece, 0, piece.length);
      offset += piece.length;
    }
    return out.toByteArray();
  }

  private int chunkCount() {
    return StoreProbe.chunkCount(store);
  }

  @Test
  void streamsA20MibObjectAndReadsRanges() throws Exception {
    byte[] data = randomBytes(20 * MIB + 12345);
    ObjectMetadata meta = new ObjectMetadata("text/plain", "gzip", null, null, null, null, Map.of("color", "blue"));
    ObjectInfo info = backend.commitObject("bkt", "big", stream(data), md5(data), meta, Map.of("crc32", "AAAAAA=="));
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.etag()).isEqualTo(HexFormat.of().formatHex(md5(data)));
    assertThat(chunkCount()).isEqualTo(21);

    try (ObjectReader reader = backend.open("bkt", "big")) {
      assertThat(reader.info().metadata()).isEqualTo(meta);
      assertThat(reader.info().checksums()).containsEntry("crc32", "AAAAAA==");
      assertThat(readRange(reader, 0, data.length - 1)).isEqualTo(data);
      long[][] ranges = {{0, 0}, {MIB - 1, MIB}, {5 * MIB + 3, 7 * MIB + 17}, {data.length - 10, data.length - 1}};
      for (long[] r : ranges) {
        assertThat(readRange(reader, r[0], r[1])).isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1));
      }
      assertThat(reader.read(data.length, 10)).isEmpty();
    }
    assertThat(backend.head("bkt", "big")).map(ObjectInfo::lastModified).contains(CLOCK.instant());
  }

  @Test
  void overwriteFreesOldChunksAndOpenReaderKeepsItsView() throws Exception {
    byte[] first = randomBytes(3 * MIB);
    byte[] second = randomBytes(MIB / 2);
    put("k", first);
    try (ObjectReader before = backend.open("bkt", "k")) {
      put("k", second);
      assertThat(chunkCount()).isEqualTo(1);
      // The snapshot still serves the replaced version.
      assertThat(readRange(before, 0, first.length - 1)).isEqualTo(first);
    }
    try (ObjectReader after = backend.open("bkt", "k")) {
      assertThat(readRange(after, 0, second.length - 1)).isEqualTo(second);
    }
    assertThat(backend.delete("bkt", "k")).isTrue();
    assertThat(backend.delete("bkt", "k")).isFalse();
    assertThat(chunkCount()).isZero();
    assertThatThrownBy(() -> backend.open("bkt", "k")).isInstanceOf(AwsException.class).hasMessageContaining("key");
  }

  @Test
  void abortLeavesNothing() {
    BlobWriter blob = stream(randomBytes(2 * MIB + 5));
    assertThat(chunkCount()).isEqualTo(2);
    blob.abort();
    blob.abort();
    assertThat(chunkCount()).isZero();
    assertThat(backend.head("bkt", "never")).isEmpty();
    assertThat(backend.isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void reopenFindsCommittedDataAndSweepsOrphans() throws Exception {
    byte[] data = randomBytes(MIB + 1);
    put("kept", data);
    stream(randomBytes(3 * MIB)); // never committed: as if the process died mid-upload
    assertThat(chunkCount()).isEqualTo(2 + 3);
    store.close();

    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, CLOCK, new Random(8));
    assertThat(store.sweptBlobCount()).isEqualTo(1);
    assertThat(chunkCount()).isEqualTo(2);
    try (ObjectReader reader = backend.open("bkt", "kept")) {
      assertThat(readRange(reader, 0, data.length - 1)).isEqualTo(data);
    }
  }

  @Test
  void emptyObject() throws Exception {
    ObjectInfo info = put("empty", new byte[0]);
    assertThat(info.size()).isZero();
    assertThat(info.etag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    try (ObjectReader reader = backend.open("bkt", "empty")) {
      assertThat(reader.read(0, 10)).isEmpty();
    }
  }

  @Test
  void listsWithPrefixDelimiterAndPages() throws Exception {
    for (String key : List.of("a/1", "a/2", "b", "c/d/e", "c/f")) {
      put(key, key.getBytes());
    }
    backend.commitObject("other", "zzz", stream(new byte[1]), md5(new byte[1]), ObjectMetadata.empty(), Map.of());
    ListPage all = backend.list("bkt", new ListQuery("", "/", "", 1000));
    assertThat(all.contents()).extracting(ObjectSummary::key).containsExactly("b");
    assertThat(all.commonPrefixes()).containsExactly("a/", "c/");
    ListPage first = backend.list("bkt", new ListQuery("", "", "", 2));
    assertThat(first.contents()).extracting(ObjectSummary::key).containsExactly("a/1", "a/2");
    assertThat(first.truncated()).isTrue();
    ListPage second = backend.list("bkt", new ListQuery("", "", first.lastItem(), 10));
    assertThat(second.contents()).extracting(ObjectSummary::key).containsExactly("b", "c/d/e", "c/f");
    assertThat(backend.list("bkt", new ListQuery("c/", "/", "", 10)).commonPrefixes()).containsExactly("c/d/");
    assertThat(backend.deleteAll("bkt", List.of("a/1", "a/2", "b", "nope"))).hasSize(4);
    assertThat(backend.list("bkt", new ListQuery("", "", "", 10)).contents()).extracting(ObjectSummary::key)
        .containsExactly("c/d/e", "c/f");
  }

  @Test
  void multipartCompleteWithThreePartsCopiesNoData() throws Exception {
    byte[] p1 = randomBytes(5 * MIB);
    byte[] p2 = randomBytes(5 * MIB + 7);
    byte[] p3 = randomBytes(1000);
    UploadInfo upload = backend.createUpload("bkt", "mp", new ObjectMetadata("video/mp4", null, null, null, null, null, Map.of()));
    assertThat(backend.isBucketEmpty("bkt")).isFalse();
    PartInfo part2 = backend.commitPart("bkt", "mp", upload.uploadId(), 2, stream(p2), md5(p2));
    backend.commitPart("bkt", "mp", upload.uploadId(), 1, stream(randomBytes(10)), md5(new byte[0]));
    // Re-uploading part 1 replaces it and frees the first upload's chunk.
    PartInfo part1 = backend.commitPart("bkt", "mp", upload.uploadId(), 1, stream(p1), md5(p1));
    PartInfo part3 = backend.commitPart("bkt", "mp", upload.uploadId(), 3, stream(p3), md5(p3));
    int chunksBefore = chunkCount();
    assertThat(backend.listParts("bkt", "mp", upload.uploadId(), 0, 1000).parts())
        .extracting(PartInfo::partNumber).containsExactly(1, 2, 3);
    assertThat(backend.listUploads("bkt", "", "", "", 1000).uploads()).extracting(UploadInfo::uploadId)
        .containsExactly(upload.uploadId());

    assertThatThrownBy(() -> backend.completeUpload("bkt", "mp", upload.uploadId(),
            List.of(new CompletedPart(1, part1.etag()), new CompletedPart(2, "bad"))))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("InvalidPart");

    ObjectInfo done = backend.completeUpload("bkt", "mp", upload.uploadId(), List.of(
        new CompletedPart(1, "\"" + part1.etag() + "\""), new CompletedPart(2, part2.etag()),
        new CompletedPart(3, part3.etag())));
    assertThat(done.size()).isEqualTo(p1.length + p2.length + p3.length);
    assertThat(done.etag()).isEqualTo(MultipartRules.multipartEtag(List.of(part1, part2, part3)));
    assertThat(done.metadata().contentType()).isEqualTo("video/mp4");
    assertThat(chunkCount()).isEqualTo(chunksBefore);
    try (ObjectReader reader = backend.open("bkt", "mp")) {
      byte[] all = readRange(reader, 0, done.size() - 1);
      assertThat(Arrays.copyOfRange(all, 0, p1.length)).isEqualTo(p1);
      assertThat(Arrays.copyOfRange(all, p1.length, p1.length + p2.length)).isEqualTo(p2);
      assertThat(Arrays.copyOfRange(all, p1.length + p2.length, all.length)).isEqualTo(p3);
      // A range that spans the part boundary.
      assertThat(readRange(reader, p1.length - 3, p1.length + 2)).isEqualTo(
          Arrays.copyOfRange(all, p1.length - 3, p1.length + 3));
    }
    assertThatThrownBy(() -> backend.abortUpload("bkt", "mp", upload.uploadId()))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("NoSuchUpload");
    backend.delete("bkt", "mp");
    assertThat(chunkCount()).isZero();
    assertThat(backend.isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void abortedUploadDeletesPartsAndLatePartsFail() throws Exception {
    UploadInfo upload = backend.createUpload("bkt", "x", ObjectMetadata.empty());
    backend.commitPart("bkt", "x", upload.uploadId(), 1, stream(randomBytes(MIB + 1)), md5(new byte[0]));
    backend.abortUpload("bkt", "x", upload.uploadId());
    assertThat(chunkCount()).isZero();
    BlobWriter late = stream(randomBytes(100));
    assertThatThrownBy(() -> backend.commitPart("bkt", "x", upload.uploadId(), 2, late, md5(new byte[0])))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("NoSuchUpload");
    assertThat(chunkCount()).isZero();
    assertThatThrownBy(() -> backend.listParts("bkt", "other-key", upload.uploadId(), 0, 10))
        .isInstanceOf(AwsException.class);
    assertThat(backend.isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void copyDuplicatesDataWithNewOrSameMetadata() throws Exception {
    byte[] data = randomBytes(2 * MIB + 3);
    backend.commitObject("bkt", "src", stream(data), md5(data),
        new ObjectMetadata("a/b", null, null, null, null, null, Map.of("k", "v")), Map.of());
    ObjectInfo same = backend.copy("bkt", "src", "bkt2", "dst", Optional.empty());
    assertThat(same.etag()).isEqualTo(HexFormat.of().formatHex(md5(data)));
    assertThat(same.metadata().userMetadata()).containsEntry("k", "v");
    ObjectInfo replaced = backend.copy("bkt", "src", "bkt2", "dst2", Optional.of(ObjectMetadata.empty()));
    assertThat(replaced.metadata().userMetadata()).isEmpty();
    backend.delete("bkt", "src");
    try (ObjectReader reader = backend.open("bkt2", "dst")) {
      assertThat(readRange(reader, 0, data.length - 1)).isEqualTo(data);
    }
  }
}
