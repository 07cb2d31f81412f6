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

  static BucketKey decode(byte[] storageKey) {
    ByteBuffer in = ByteBuffer.wrap(storageKey);
    byte[] b = new byte[in.getInt()];
    in.get(b);
    byte[] k = new byte[in.getInt()];
    in.get(k);
    return new BucketKey(new String(b, StandardCharsets.UTF_8), new String(k, StandardCharsets.UTF_8));
  }
}
