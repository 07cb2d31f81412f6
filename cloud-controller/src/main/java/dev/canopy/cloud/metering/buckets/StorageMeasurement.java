package dev.canopy.cloud.metering.buckets;

import java.time.Instant;
import java.util.Objects;

/**
 * A bucket's latest storage measurement, kept in grid map {@value StorageSampling#MAP} by bucket
 * id: the holder fills hours it missed with it, and a new holder starts from it.
 */
public record StorageMeasurement(String bucketId, String bucket, String account, Instant measuredAt, long bytes) {

  public StorageMeasurement {
    Objects.requireNonNull(bucketId, "bucketId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(measuredAt, "measuredAt");
    if (bytes < 0) {
      throw new IllegalArgumentException("a bucket stores at least nothing: " + bytes);
    }
  }
}
