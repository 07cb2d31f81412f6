package dev.canopy.cloud.images;

import dev.canopy.storage.backend.ObjectDigest;
import java.util.Optional;

/**
 * Where a controller learns an object's size, ETag and SHA-256: from the storage role, which
 * holds the objects and computes each digest once per object version. In the cloud in a box the
 * store is in the same process; elsewhere it is the storage process's internal endpoint.
 */
@FunctionalInterface
public interface ObjectDigests {

  /**
   * Empty when there is no such object. Blocks (the first digest of a large object streams all
   * of it): call it off the event loop.
   *
   * @throws dev.canopy.storage.local.StoreException when the store cannot answer
   */
  Optional<ObjectDigest> digest(String bucket, String key);
}
