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

  void delete(String name);

  /** The buckets one account owns, by name. */
  List<BucketRecord> listByOwner(String accountId);
}
