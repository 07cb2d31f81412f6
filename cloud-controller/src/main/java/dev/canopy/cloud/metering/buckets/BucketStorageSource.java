package dev.canopy.cloud.metering.buckets;

/** What a bucket stores now, measured by a storage node. Blocking. */
@FunctionalInterface
public interface BucketStorageSource {

  /**
   * @param bucketId the bucket's immutable id (its objects' namespace)
   * @throws RuntimeException when no storage node could measure it
   */
  long bytes(String bucketId);
}
