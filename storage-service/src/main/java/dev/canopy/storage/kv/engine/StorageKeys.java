package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.ring.KeyHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A bucket and key as the backend's key: the ring's length-prefixed encoding, and back. */
final class StorageKeys {

  private StorageKeys() {}

  record BucketKey(String bucket, String key) {}

  static byte[] encode(String bucket, String key) {
    return KeyHash.encode(bucket, key);
  }

  /**
   * What every storage key of {@code bucket} begins with: its length and bytes. Within it keys
   * sort by their length first, so a bucket's records are one range but not in the keys' order.
   */
  static byte[] bucketPrefix(String bucket) {
    byte[] empty = KeyHash.encode(bucket, "");
    return java.util.Arrays.copyOf(empty, empty.length - Integer.BYTES);
  }

  static BucketKey decode(byte[] storageKey) {
    ByteBuffer in = ByteBuffer.wrap(storageKey);
    byte[] b = new byte[in.getInt()];
    in.get(b);
    byte[] k = new byte[in.getInt()];
    in.get(k);
    return new BucketKey(new String(b, StandardCharsets.UTF_8), new String(k, StandardCharsets.UTF_8));
  }
}
