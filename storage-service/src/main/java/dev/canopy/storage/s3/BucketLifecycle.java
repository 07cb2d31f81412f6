package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectBackend;

/**
 * The rule between DeleteBucket and a write still in flight. A PUT or copy writes under the id of
 * the bucket it was authorised against; DeleteBucket checks that id's namespace is empty and
 * unregisters the name. A write whose body was still streaming during the delete commits into the
 * old id, where no later owner of the name ever looks, so it can never become visible in the
 * bucket that next takes the name. What remains is space: after each commit the writer checks
 * that its bucket is still registered under the same id and, if not, deletes what it wrote and
 * answers NoSuchBucket, as AWS answers a write into a bucket deleted meanwhile.
 *
 * <p>A storage node's registry is a cache (about a second behind the controllers): a delete it has
 * not heard of yet lets such a write stay, invisible, in the dead namespace.
 */
final class BucketLifecycle {

  private BucketLifecycle() {}

  /**
   * After a commit of {@code key} under {@code bucket}'s id: throws NoSuchBucket, having removed
   * the object, when the bucket was deleted (or deleted and created again) meanwhile.
   */
  static void confirmCommit(BucketRegistry registry, ObjectBackend backend, BucketRecord bucket, String key) {
    boolean live = registry.find(bucket.name()).map(now -> now.id().equals(bucket.id())).orElse(false);
    if (!live) {
      backend.delete(bucket.id(), key);
      throw S3Errors.noSuchBucket();
    }
  }
}
