package dev.canopy.cloud.images;

import java.util.Optional;

/** What RunInstances asks of the image catalog. */
@FunctionalInterface
public interface ImageCatalog {

  /** The machine image the account may launch; empty when unknown or not visible to it. */
  Optional<Image> launchable(String accountId, String imageId);
}
