package dev.canopy.storage.internal;

/**
 * Paths of the internal endpoint's read-only object routes: {@code /v1/objects/{bucket}/{key}/digest},
 * the bucket and the key each one segment percent-encoded as {@link KvPaths} encodes them (a
 * {@code /} in a key is {@code %2F}).
 */
public final class ObjectPaths {

  public static final String PREFIX = "/v1/objects/";
  static final String DIGEST = "digest";
  /** S3 bucket names have at most 63 characters; the bound only keeps request lines small. */
  static final int BUCKET_BYTES_MAX = 255;

  /** A bucket and a key, as a path named them. */
  public record ObjectName(String bucket, String key) {}

  private ObjectPaths() {}

  /** The path of an object's digest. @throws IllegalArgumentException for a name no object can have */
  public static String digestPath(String bucket, String key) {
    checkBucket(bucket);
    KvPaths.checkKey(key);
    return PREFIX + KvPaths.encode(bucket) + "/" + KvPaths.encode(key) + "/" + DIGEST;
  }

  /** True when a raw path is one of these routes (well formed or not). */
  static boolean isObjectPath(String rawPath) {
    return rawPath != null && rawPath.startsWith(PREFIX);
  }

  /**
   * The object a raw digest path names.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static ObjectName parseDigestPath(String rawPath) {
    String[] segments = rawPath.substring(PREFIX.length()).split("/", -1);
    if (segments.length != 3 || !DIGEST.equals(segments[2])) {
      throw new IllegalArgumentException("an object route is " + PREFIX + "{bucket}/{key}/digest, with '/' in a key as %2F");
    }
    String bucket = KvPaths.decode(segments[0]);
    checkBucket(bucket);
    String key = KvPaths.decode(segments[1]);
    KvPaths.checkKey(key);
    return new ObjectName(bucket, key);
  }

  private static void checkBucket(String bucket) {
    KvPaths.checkName("a bucket name", bucket, BUCKET_BYTES_MAX);
  }
}
