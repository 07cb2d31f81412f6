package dev.canopy.storage.backend;

/**
 * What a reader of an object needs to check its copy: the size, the ETag (which names the
 * version) and the SHA-256 of its bytes (S3's ETag is MD5-based, so the SHA-256 is computed).
 *
 * @param etag unquoted, as in {@link ObjectInfo#etag()}
 * @param sha256 64 lowercase hex digits
 */
public record ObjectDigest(long size, String etag, String sha256) {

  public ObjectDigest {
    if (size < 0) {
      throw new IllegalArgumentException("an object's size is never negative, not " + size);
    }
    if (etag == null || etag.isEmpty()) {
      throw new IllegalArgumentException("an object's digest names its ETag");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a SHA-256 is 64 lowercase hex digits, not " + sha256);
    }
  }
}
