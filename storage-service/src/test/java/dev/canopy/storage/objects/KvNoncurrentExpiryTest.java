package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.backend.VersionsQuery;
import dev.canopy.storage.lifecycle.LifecycleConfiguration;
import dev.canopy.storage.lifecycle.LifecycleExecutor;
import dev.canopy.storage.lifecycle.LifecycleFilter;
import dev.canopy.storage.lifecycle.LifecycleRule;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NoncurrentVersionExpiration and ExpiredObjectDeleteMarker on one real KV node, the clock (and the
 * versions' Last-Modified) moved by hand. The cluster's clock starts at a midnight UTC.
 */
class KvNoncurrentExpiryTest {

  private static final String BUCKET = "bucket-id-v";

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(8), ObjectStoreSettings.DEFAULTS);
  private final ObjectBackend enabled = backend.versioned(Versioning.ENABLED);
  private final LifecycleExecutor executor = new LifecycleExecutor(backend, cluster.time);

  @AfterEach
  void close() {
    cluster.close();
  }

  private String put(String key, String body) throws Exception {
    byte[] bytes = body.getBytes();
    var blob = enabled.newBlob();
    blob.write(ByteBuffer.wrap(bytes));
    return enabled.commitObject(BUCKET, key, blob, MessageDigest.getInstance("MD5").digest(bytes),
        ObjectMetadata.empty(), Map.of()).versionId();
  }

  private void rules(Integer noncurrentDays, Integer newerNoncurrent, Boolean expiredMarker) {
    backend.setBucketConfig(BUCKET, Versioning.DOCUMENT, "Enabled");
    LifecycleRule rule = new LifecycleRule("versions", true,
        new LifecycleFilter(LifecycleFilter.Form.FILTER, "", Map.of(), null, null), null, null, expiredMarker, null,
        noncurrentDays, newerNoncurrent);
    backend.setBucketConfig(BUCKET, LifecycleConfiguration.DOCUMENT, new LifecycleConfiguration(List.of(rule)).toJson());
  }

  private List<String> versionIds(String key) {
    return backend.listVersions(BUCKET, new VersionsQuery(key, "", "", "", 1000)).versions().stream()
        .map(ObjectVersion::versionId).toList();
  }

  @Test
  void aVersionGoesNoncurrentDaysAfterItsSuccessorWasWritten() throws Exception {
    String v1 = put("doc", "one");
    cluster.time.advance(Duration.ofDays(1).plusHours(6));
    String v2 = put("doc", "two"); // v1 noncurrent from day 1, 06:00: due at the midnight after day 4
    cluster.time.advance(Duration.ofDays(4));
    String v3 = put("doc", "three"); // day 5, 06:00; v2 due after day 8
    rules(3, null, null);

    assertThat(executor.runOnce().versionsRemoved()).isEqualTo(1);
    assertThat(versionIds("doc")).containsExactly(v3, v2);
    assertThat(backend.head(BUCKET, "doc", v1)).isEmpty();

    cluster.time.advance(Duration.ofDays(2)); // day 7, 06:00
    assertThat(executor.runOnce().versionsRemoved()).isZero();
    cluster.time.advance(Duration.ofDays(2));
    assertThat(executor.runOnce().versionsRemoved()).isEqualTo(1);
    assertThat(versionIds("doc")).containsExactly(v3);
    assertThat(new String(backend.open(BUCKET, "doc").read(0, 10))).isEqualTo("three");
  }

  @Test
  void newerNoncurrentVersionsAreKeptWhateverTheirAge() throws Exception {
    String[] ids = new String[5];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = put("doc", "v" + i);
      cluster.time.advance(Duration.ofHours(1));
    }
    rules(1, 2, null);
    cluster.time.advance(Duration.ofDays(3));

    assertThat(executor.runOnce().versionsRemoved()).isEqualTo(2);
    assertThat(versionIds("doc")).containsExactly(ids[4], ids[3], ids[2]);
    assertThat(executor.runOnce().versionsRemoved()).as("a second run, or a second node").isZero();
  }

  @Test
  void aDeleteMarkerLeftAloneIsRemovedAndTheBucketCanGo() throws Exception {
    put("gone", "x");
    cluster.time.advance(Duration.ofHours(1));
    enabled.deleteVersion(BUCKET, "gone", null); // a marker over the only version
    put("kept", "y");
    rules(1, null, true);

    cluster.time.advance(Duration.ofDays(2));
    // The object version goes; then the marker is the key's only version and goes too.
    assertThat(executor.runOnce().versionsRemoved()).isEqualTo(2);
    assertThat(versionIds("gone")).isEmpty();
    assertThat(versionIds("kept")).hasSize(1);
  }
}
