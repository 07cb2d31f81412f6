package dev.canopy.cloud.images;

import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import java.util.Optional;

/**
 * RegisterImage's check of an image file: its bucket belongs to the registering account (the
 * cloud-wide bucket registry) and the storage role finds the object. Asking for the digest rather
 * than only whether the object exists costs one read of a new object, which its first launch
 * would make anyway; the digest is remembered per version, so the launch finds it ready.
 */
public final class OwnedImageObjects implements ImageObjects {

  private final BucketRegistry buckets;
  private final ObjectDigests digests;

  public OwnedImageObjects(BucketRegistry buckets, ObjectDigests digests) {
    this.buckets = buckets;
    this.digests = digests;
  }

  @Override
  public Optional<String> readableBucketId(String accountId, String location) {
    return ObjectLocation.parse(location).flatMap(object -> buckets.find(object.bucket())
        .filter(bucket -> bucket.ownerAccountId().equals(accountId))
        .filter(bucket -> digests.digest(bucket.id(), object.key()).isPresent())
        .map(BucketRecord::id));
  }
}
