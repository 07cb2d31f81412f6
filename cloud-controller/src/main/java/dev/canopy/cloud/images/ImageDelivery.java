package dev.canopy.cloud.images;

import dev.canopy.node.protocol.ImageFiles;

/**
 * How a node gets an image's files: for each of the disk, kernel and ramdisk, a short-lived
 * download link and the digest the bytes must have.
 */
@FunctionalInterface
public interface ImageDelivery {

  /** Nodes on libvirt's test driver boot nothing from images: no files. */
  ImageDelivery NONE = (accountId, image) -> null;

  /**
   * @return the files, or null when this cloud's nodes do not fetch images
   * @throws dev.canopy.api.error.AwsException when an object the image names is gone
   */
  ImageFiles files(String accountId, Image image);
}
