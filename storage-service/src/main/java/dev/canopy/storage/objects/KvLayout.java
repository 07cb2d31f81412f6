package dev.canopy.storage.objects;

/**
 * Where each record lives in the replicated store. A namespace (the {@code bucket} argument of
 * the object backend: any characters) becomes part of a KV bucket name; KV bucket and key names
 * are length-prefixed in storage, so no character needs escaping.
 */
final class KvLayout {

  /** Chunks of every blob: key {@code <blobId>/<index>}, immutable. */
  static final String CHUNKS = "s3c";
  /** Multipart parts: key {@code <uploadId>/<part number, 5 digits>}. */
  static final String PARTS = "s3p";
  /** Garbage-collection records: {@code b/<blobId>} and {@code u/<uploadId>}; allow_mult. */
  static final String GC = "s3g";
  /** Buckets' configuration documents: key {@code <namespace>}; allow_mult ({@link KvBucketConfigs}). */
  static final String BUCKET_CONFIGS = "s3b";

  private static final String MANIFESTS_PREFIX = "s3m/";
  private static final String UPLOADS_PREFIX = "s3u/";
  /**
   * Versions of a bucket that was ever versioned: key {@code <key>\0<sort key>}, where the sort key
   * ({@link KvVersions#sortKey}) starts with the inverted creation millis, so a key's versions
   * list newest first.
   */
  private static final String VERSIONS_PREFIX = "s3v/";
  /** Separates a version's key from its sort key: NUL sorts first, so versions list in key order. */
  static final char VERSION_KEY_SEPARATOR = '\0';
  /** Separates an upload's key from its id: NUL sorts first, so uploads list in key order. */
  static final char UPLOAD_KEY_SEPARATOR = '\0';

  private KvLayout() {}

  static String manifests(String namespace) {
    return MANIFESTS_PREFIX + namespace;
  }

  static String versions(String namespace) {
    return VERSIONS_PREFIX + namespace;
  }

  /** The namespace of a manifests bucket, or null for another bucket. */
  static String namespaceOfManifests(String kvBucket) {
    return kvBucket.startsWith(MANIFESTS_PREFIX) ? kvBucket.substring(MANIFESTS_PREFIX.length()) : null;
  }

  static String versionKey(String key, String sortKey) {
    return versionPrefix(key) + sortKey;
  }

  static String versionPrefix(String key) {
    return key + VERSION_KEY_SEPARATOR;
  }

  static String uploads(String namespace) {
    return UPLOADS_PREFIX + namespace;
  }

  static String chunk(String blobId, int index) {
    return blobId + "/" + index;
  }

  static String uploadKey(String key, String uploadId) {
    return key + UPLOAD_KEY_SEPARATOR + uploadId;
  }

  static String partPrefix(String uploadId) {
    return uploadId + "/";
  }

  /** Zero-padded so that parts list in number order (at most 10,000: five digits). */
  static String part(String uploadId, int partNumber) {
    return partPrefix(uploadId) + String.format("%05d", partNumber);
  }

  static String blobGc(String blobId) {
    return "b/" + blobId;
  }

  static String uploadGc(String uploadId) {
    return "u/" + uploadId;
  }
}
