package dev.canopy.cloud.images;

/** Claims an image name within one owner (grid key: owner/name), so names stay unique atomically. */
public record ImageName(String ownerId, String name, String imageId) {

  static String key(String ownerId, String name) {
    return ownerId + "/" + name;
  }
}
