package dev.canopy.storage.usage;

import java.util.Objects;

/**
 * One bucket's absolute request and traffic counts of one hour on one storage node's life:
 * what a node pushes to the controllers and what they fold into the owner's ledger.
 *
 * @param account the bucket owner's account id, who pays
 * @param tier1 PUT, COPY, POST and LIST requests
 * @param tier2 GET and HEAD requests
 * @param bytesOut response body bytes of object reads sent to clients
 */
public record BucketUsage(String account, String bucket, long tier1, long tier2, long bytesOut) {

  public BucketUsage {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(bucket, "bucket");
    if (tier1 < 0 || tier2 < 0 || bytesOut < 0) {
      throw new IllegalArgumentException("usage counts are never negative");
    }
  }
}
