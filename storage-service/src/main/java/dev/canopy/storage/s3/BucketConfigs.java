package dev.canopy.storage.s3;

import dev.canopy.core.time.Time;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.core.cache.ExpiringCache;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A bucket's configuration documents (policy, CORS rules, tags, lifecycle, ACL...) as the S3
 * handlers read and set them, keyed by sub-resource name and stored by the backend under the
 * bucket's id. Reads are on every request that a document governs (a policy decides each
 * access), so this node keeps each bucket's documents for {@link #CACHED}: a change made through
 * this node shows at once, one made through another storage node within that time, as AWS says
 * of bucket configuration ("eventually consistent").
 *
 * <p>Each feature keeps the text it wrote (canonical XML or JSON) and parses it where it is used;
 * this class never interprets a document. Blocking: call it on a worker.
 */
public final class BucketConfigs {

  /** How long another node's change may take to show here. */
  public static final Duration CACHED = Duration.ofSeconds(1);
  /** Buckets whose documents one node keeps at once; beyond, the least recently used is read again. */
  static final int BUCKETS_CACHED_MAX = 10_000;

  private final ObjectBackend backend;
  private final ExpiringCache<Map<String, String>> cache;

  public BucketConfigs(ObjectBackend backend, Time time) {
    this.backend = backend;
    // Never empty-Optional: a bucket without documents is an empty map, kept as long as any.
    this.cache = new ExpiringCache<>(time, BUCKETS_CACHED_MAX, CACHED, CACHED);
  }

  /** Every document of the bucket, by sub-resource name. */
  public Map<String, String> all(BucketRecord bucket) {
    return cache.get(bucket.id(), id -> Optional.of(Map.copyOf(backend.bucketConfig(id)))).orElseThrow();
  }

  /** One document, or empty when the bucket has none of that name. */
  public Optional<String> get(BucketRecord bucket, String name) {
    return Optional.ofNullable(all(bucket).get(name));
  }

  /** Stores a document (null removes it); this node sees the change at once. */
  public void set(BucketRecord bucket, String name, String document) {
    try {
      backend.setBucketConfig(bucket.id(), name, document);
    } finally {
      cache.invalidate(bucket.id());
    }
  }

  /** Removes every document of a bucket being deleted, so none is left under its dead id. */
  public void removeAll(BucketRecord bucket) {
    all(bucket).keySet().forEach(name -> set(bucket, name, null));
  }
}
