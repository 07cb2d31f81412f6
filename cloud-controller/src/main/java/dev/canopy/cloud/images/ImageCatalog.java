package dev.canopy.cloud.images;

import java.util.Optional;

/** What RunInstances asks of the image catalog. */
@FunctionalInterface
public interface ImageCatalog {

  /** The machine image the account may launch; empty when unknown or not visible to it. */
  Optional<Image> launchable(String accountId, String imageId);

  /**
   * A kernel or ramdisk image a machine image names. No visibility check: a caller that may
   * launch the machine image may boot what it names.
   */
  default Optional<Image> bootPart(String imageId) {
    return Optional.empty();
  }
}
