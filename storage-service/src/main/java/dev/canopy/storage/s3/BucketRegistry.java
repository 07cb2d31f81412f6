package dev.canopy.storage.s3;

import java.util.List;
import java.util.Optional;

/**
 * The cloud-wide registry of bucket names and owners. The controller implements it on the grid
 * (durable, shared by every storage process); the S3 API only reads and updates it through this
 * interface. Calls may block briefly: call them off the event loop. A registry that lives
 * elsewhere (a storage node reads the controllers') throws {@link DirectoryUnavailableException}
 * when it cannot be reached, which the S3 API answers with 503.
 */
public interface BucketRegistry {

  Optional<BucketRecord> find(String name);

  /** Registers a new bucket; false when the name is already taken (by anyone). Atomic. */
  boolean create(BucketRecord bucket);

  /** Unregisters a name, whichever bucket it names (administration and tests; S3 uses {@link #delete(String, String)}). */
  void delete(String name);

  /**
   * Unregisters {@code name} only while it still names the bucket {@code id}: a DeleteBucket that
   * checked its bucket empty must not remove a bucket created under the same name since (a
   * concurrent DeleteBucket removed the first one, another account took the name). Atomic in the
   * grid's registry; this default checks then deletes, for registries with one writer.
   */
  default void delete(String name, String id) {
    if (find(name).map(current -> current.id().equals(id)).orElse(false)) {
      delete(name);
    }
  }

  /** The buckets one account owns, by name. */
  List<BucketRecord> listByOwner(String accountId);
}
