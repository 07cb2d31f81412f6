package dev.canopy.cloud.images;

/**
 * Where image files live: objects in the S3 store, named {@code bucket/key} (Eucalyptus's idea:
 * a machine image, its kernel and its ramdisk are objects the owner uploaded). RegisterImage
 * accepts only an object that exists and that the registering account may read.
 */
@FunctionalInterface
public interface ImageObjects {

  /** Every location is accepted: for tests of the catalog alone. */
  ImageObjects ANY = (accountId, location) -> true;

  boolean readable(String accountId, String location);
}
