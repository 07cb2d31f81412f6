package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.UploadInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buckets and keys whose names share prefixes, at the store: every scan (listing, emptiness,
 * upload listing) and every delete must stay inside its own bucket, and an object's key must not
 * reach a neighbour whose key extends it.
 */
class RocksBucketIsolationTest {

  @TempDir Path dir;
  private LocalStore store;
  private RocksObjectBackend backend;

  @BeforeEach
  void open() {
    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, InstantSource.fixed(Instant.parse("2026-05-06T07:08:09Z")), new Random(9),
        1024, MultipartRules.PART_SIZE_MIN);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void put(String bucket, String key) throws Exception {
    byte[] data = (bucket + "/" + key).getBytes(StandardCharsets.UTF_8);
    BlobWriter blob = backend.newBlob();
    blob.write(ByteBuffer.wrap(data));
    backend.commitObject(bucket, key, blob, MessageDigest.getInstance("MD5").digest(data), ObjectMetadata.empty(), Map.of());
  }

  private List<String> keys(String bucket) {
    return backend.list(bucket, new ListQuery("", "", "", 1000)).contents().stream().map(ObjectSummary::key).toList();
  }

  @Test
  void listingsAndEmptinessStayInsideTheirBucket() throws Exception {
    for (String bucket : List.of("a", "ab", "a-b", "a.b", "aa")) {
      put(bucket, "k");
      put(bucket, "k/" + bucket);
    }
    put("b", "x");
    assertThat(keys("a")).containsExactly("k", "k/a");
    assertThat(keys("ab")).containsExactly("k", "k/ab");
    assertThat(keys("a-b")).containsExactly("k", "k/a-b");
    assertThat(backend.list("a", new ListQuery("", "/", "", 1000)).commonPrefixes()).containsExactly("k/");
    assertThat(keys("")).isEmpty();
    assertThat(keys("abc")).isEmpty();

    backend.deleteAll("a", List.of("k", "k/a"));
    assertThat(backend.isBucketEmpty("a")).isTrue();
    // Neighbours whose names extend "a" keep everything.
    assertThat(backend.isBucketEmpty("ab")).isFalse();
    assertThat(backend.isBucketEmpty("aa")).isFalse();
    assertThat(keys("ab")).containsExactly("k", "k/ab");
  }

  @Test
  void aKeyAndTheKeysThatExtendItAreSeparateObjects() throws Exception {
    put("bkt", "a");
    put("bkt", "a/b");
    put("bkt", "ab");
    assertThat(backend.delete("bkt", "a")).isTrue();
    assertThat(keys("bkt")).containsExactly("a/b", "ab");
    assertThat(backend.head("bkt", "a")).isEmpty();
    assertThat(backend.head("bkt", "a/b")).isPresent();
  }

  @Test
  void uploadsStayInsideTheirBucketAndKey() {
    UploadInfo inA = backend.createUpload("a", "k", ObjectMetadata.empty());
    UploadInfo inAb = backend.createUpload("ab", "k", ObjectMetadata.empty());
    UploadInfo longerKey = backend.createUpload("a", "k/longer", ObjectMetadata.empty());
    assertThat(backend.listUploads("a", "", "", "", 1000).uploads()).extracting(UploadInfo::uploadId)
        .containsExactly(inA.uploadId(), longerKey.uploadId());
    assertThat(backend.listUploads("ab", "", "", "", 1000).uploads()).extracting(UploadInfo::uploadId)
        .containsExactly(inAb.uploadId());
    assertThat(backend.listUploads("a", "k/", "", "", 1000).uploads()).extracting(UploadInfo::key)
        .containsExactly("k/longer");
    // An upload of bucket "ab" is not bucket "a"'s, even under the same key.
    assertThatThrownBy(() -> backend.abortUpload("a", "k", inAb.uploadId()))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("NoSuchUpload"));
    assertThat(backend.isBucketEmpty("a")).isFalse();
    backend.abortUpload("a", "k", inA.uploadId());
    backend.abortUpload("a", "k/longer", longerKey.uploadId());
    assertThat(backend.isBucketEmpty("a")).isTrue();
    assertThat(backend.isBucketEmpty("ab")).isFalse();
  }

  @Test
  void deletingABucketsObjectsFreesOnlyItsChunks() throws Exception {
    put("a", "k");
    put("ab", "k");
    assertThat(StoreProbe.chunkCount(store)).isEqualTo(2);
    backend.delete("a", "k");
    assertThat(StoreProbe.chunkCount(store)).isEqualTo(1);
    assertThat(backend.head("ab", "k")).isPresent();
  }
}
