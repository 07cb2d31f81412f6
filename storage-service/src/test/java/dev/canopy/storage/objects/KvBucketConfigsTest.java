package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.Records;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bucket configuration documents written at two storage nodes at once: the store keeps both
 * values as siblings, and every read merges them document by document, the newest setting of
 * each winning, so neither call's document is lost and a removal is not undone.
 */
class KvBucketConfigsTest {

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(9), ObjectStoreSettings.DEFAULTS);
  private final KvCalls kv = new KvCalls(cluster.first(), Duration.ofSeconds(10));

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void siblingsMergeDocumentByDocumentNewestWinning() {
    backend.setBucketConfig("b_1", "policy", "first");
    byte[] seen = kv.get(KvLayout.BUCKET_CONFIGS, "b_1").context();
    // Two writers that both read the value above, as two nodes racing would.
    write(seen, Map.of(
        "policy", new KvBucketConfigs.Entry("from-a", Long.MAX_VALUE - 10),
        "cors", new KvBucketConfigs.Entry("<CORSConfiguration/>", 100)));
    write(seen, Map.of(
        "policy", new KvBucketConfigs.Entry("from-b", Long.MAX_VALUE - 5),
        "tagging", new KvBucketConfigs.Entry("<Tagging/>", 100),
        "cors", new KvBucketConfigs.Entry(null, 200)));
    assertThat(kv.get(KvLayout.BUCKET_CONFIGS, "b_1").siblings()).hasSize(2);

    assertThat(backend.bucketConfig("b_1")).isEqualTo(Map.of("policy", "from-b", "tagging", "<Tagging/>"));
    // A later setting resolves the siblings and is never older than what it replaces.
    backend.setBucketConfig("b_1", "policy", "third");
    assertThat(kv.get(KvLayout.BUCKET_CONFIGS, "b_1").siblings()).hasSize(1);
    assertThat(backend.bucketConfig("b_1")).isEqualTo(Map.of("policy", "third", "tagging", "<Tagging/>"));
  }

  private void write(byte[] context, Map<String, KvBucketConfigs.Entry> documents) {
    kv.put(KvLayout.BUCKET_CONFIGS, "b_1", context, Records.encode(new KvBucketConfigs.Stored(documents)));
  }
}
