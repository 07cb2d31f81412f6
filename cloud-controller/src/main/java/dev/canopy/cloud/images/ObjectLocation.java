package dev.canopy.cloud.images;

import java.util.Optional;

/** An image file's place in the S3 store, written {@code bucket/key} (the key may hold more slashes). */
public record ObjectLocation(String bucket, String key) {

  /** Empty unless {@code location} is a non-empty bucket, a slash and a non-empty key. */
  public static Optional<ObjectLocation> parse(String location) {
    int slash = location == null ? -1 : location.indexOf('/');
    if (slash <= 0 || slash == location.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new ObjectLocation(location.substring(0, slash), location.substring(slash + 1)));
  }

  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
