package dev.canopy.storage.kv.ring;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a key sits on the ring: SHA-1 (160 bits, as Riak's chash) over the bucket and key, each
 * prefixed with its length so that ("ab", "c") and ("a", "bc") never share a hash. The partition
 * is the hash divided by the width of a partition (2^160 / Q), i.e. its top log2(Q) bits.
 */
public final class KeyHash {

  private KeyHash() {}

  /** The bucket and key as the hash and the backend see them: lengths first, then UTF-8 bytes. */
  public static byte[] encode(String bucket, String key) {
    byte[] b = bucket.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + b.length + k.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(b.length);
      out.write(b);
      out.writeInt(k.length);
      out.write(k);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] sha1(byte[] encodedKey) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(encodedKey);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** The partition (of {@code partitions}, a power of two) the hash of {@code encodedKey} falls in. */
  public static int partition(byte[] encodedKey, int partitions) {
    byte[] hash = sha1(encodedKey);
    long top = 0;
    for (int i = 0; i < 8; i++) {
      top = (top << 8) | (hash[i] & 0xff);
    }
    int bits = Integer.numberOfTrailingZeros(partitions);
    return bits == 0 ? 0 : (int) (top >>> (64 - bits));
  }
}
