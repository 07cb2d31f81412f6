package dev.canopy.storage.local;

import java.nio.charset.StandardCharsets;

/**
 * Keys of the {@code objects} and {@code uploads} families. Bucket names never contain NUL, so
 * {@code bucket \0} is a prefix that no other bucket's keys share.
 */
final class ObjectKeys {

  private ObjectKeys() {}

  static byte[] bucketPrefix(String bucket) {
    return (bucket + '\0').getBytes(StandardCharsets.UTF_8);
  }

  static byte[] object(String bucket, String key) {
    return (bucket + '\0' + key).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code u uploadId}: the upload record. */
  static byte[] upload(String uploadId) {
    return ("u" + uploadId).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code p uploadId \0}: the prefix of an upload's part records. */
  static byte[] partPrefix(String uploadId) {
    return ("p" + uploadId + '\0').getBytes(StandardCharsets.UTF_8);
  }

  /** Part records sort by part number: 4 bytes big endian after the prefix. */
  static byte[] part(String uploadId, int partNumber) {
    byte[] prefix = partPrefix(uploadId);
    return java.nio.ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt(partNumber).array();
  }

  /** {@code b bucket \0}: the prefix of a bucket's upload index. */
  static byte[] uploadIndexPrefix(String bucket) {
    return ("b" + bucket + '\0').getBytes(StandardCharsets.UTF_8);
  }

  /** {@code b bucket \0 key \0 uploadId}: lists a bucket's uploads in key order. */
  static byte[] uploadIndex(String bucket, String key, String uploadId) {
    return ("b" + bucket + '\0' + key + '\0' + uploadId).getBytes(StandardCharsets.UTF_8);
  }
}
