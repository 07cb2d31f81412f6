package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.internal.BucketStorage;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a bucket is billed as storing, on one real KV node: every version's bytes, none for delete
 * markers, the parts of unfinished uploads, over more entries than one listing page holds.
 */
class BucketStorageTest {

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(7), ObjectStoreSettings.DEFAULTS.withChunkBytes(1024, 0));
  private final BucketStorage storage = new BucketStorage(backend);

  @AfterEach
  void close() {
    cluster.close();
  }

  private void put(ObjectBackend to, String bucket, String key, int size) {
    cluster.time.advance(Duration.ofMillis(3));
    byte[] data = new byte[size];
    to.commitObject(bucket, key, new BackendIo(() -> to).stream(data), BackendIo.md5(data), ObjectMetadata.empty(), Map.of());
  }

  @Test
  void everyVersionCountsAndDeleteMarkersStoreNothing() {
    put(backend, "b_plain", "a", 100); // before versioning: the null version
    ObjectBackend versioned = backend.versioned(Versioning.ENABLED);
    put(versioned, "b_plain", "a", 2_000); // the null version becomes noncurrent
    put(versioned, "b_plain", "a", 300);
    cluster.time.advance(Duration.ofMillis(3));
    versioned.deleteVersion("b_plain", "a", null); // a delete marker on top
    put(backend, "b_other", "x", 5_000);

    assertThat(storage.bytes("b_plain")).isEqualTo(100 + 2_000 + 300);
    assertThat(storage.bytes("b_other")).isEqualTo(5_000);
    assertThat(storage.bytes("b_never_used")).isZero();
  }

  @Test
  void unfinishedUploadsCountTheirPartsAndListingsArePaged() {
    for (int i = 0; i < BucketStorage.PAGE_KEYS + 5; i++) {
      put(backend, "b_many", "k" + i, 10);
    }
    UploadInfo upload = backend.createUpload("b_many", "big", ObjectMetadata.empty());
    byte[] part = new byte[4_096];
    backend.commitPart("b_many", "big", upload.uploadId(), 1, new BackendIo(() -> backend).stream(part), BackendIo.md5(part));
    backend.commitPart("b_many", "big", upload.uploadId(), 2, new BackendIo(() -> backend).stream(part), BackendIo.md5(part));

    assertThat(storage.bytes("b_many")).isEqualTo((BucketStorage.PAGE_KEYS + 5) * 10L + 2 * 4_096);
    backend.abortUpload("b_many", "big", upload.uploadId());
    assertThat(storage.bytes("b_many")).isEqualTo((BucketStorage.PAGE_KEYS + 5) * 10L);
  }

  @Test
  void theAnswerRoundTrips() {
    assertThat(BucketStorage.parse(BucketStorage.json(123_456_789_012L))).isEqualTo(123_456_789_012L);
    assertThat(BucketStorage.path("b_0123abc")).isEqualTo("/v1/bucket-storage/b_0123abc");
  }
}
