package dev.canopy.cloud.images;

import java.util.Optional;

/**
 * Where image files live: objects in the S3 store, named {@code bucket/key} (Eucalyptus's idea:
 * a machine image, its kernel and its ramdisk are objects the owner uploaded). RegisterImage
 * accepts only an object that exists and that the registering account may read, and remembers
 * the id of the bucket it found it in ({@link Image#imageBucketId()}).
 */
@FunctionalInterface
public interface ImageObjects {

  /** Every location is accepted, its bucket name standing for the id: for tests of the catalog alone. */
  ImageObjects ANY = (accountId, location) -> ObjectLocation.parse(location).map(ObjectLocation::bucket);

  /** The id of the location's bucket when the account owns it and the object exists; empty otherwise. */
  Optional<String> readableBucketId(String accountId, String location);

  default boolean readable(String accountId, String location) {
    return readableBucketId(accountId, location).isPresent();
  }
}
