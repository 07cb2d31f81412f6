package dev.canopy.storage.kv.aae;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The hashes of a hash tree: 64 bits taken from SHA-256. A cryptographic hash spreads keys over the
 * segments whatever their names are (a client cannot crowd one segment), and 64 bits make two
 * different segments hashing alike, which would hide a difference, a 2^-64 chance per comparison.
 * An empty segment (and a node with only empty segments below it) hashes to 0, so both sides agree
 * on emptiness without hashing anything.
 */
public final class TreeHashes {

  public static final long EMPTY = 0L;

  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });

  private TreeHashes() {}

  /** A stored object's hash, for {@link HashTree#insert}: replicas holding the same bytes agree. */
  public static long objectHash(byte[] value) {
    MessageDigest digest = digest();
    digest.update(value);
    return first64(digest.digest());
  }

  static long keyHash(byte[] key) {
    MessageDigest digest = digest();
    digest.update(key);
    return first64(digest.digest());
  }

  /** A segment's hash: over its (key, object hash) pairs in key order, lengths included. */
  static long segmentHash(Iterable<Map.Entry<KeyBytes, Long>> entries) {
    MessageDigest digest = digest();
    ByteBuffer numbers = ByteBuffer.allocate(Long.BYTES);
    boolean any = false;
    for (Map.Entry<KeyBytes, Long> entry : entries) {
      any = true;
      byte[] key = entry.getKey().unsafeBytes();
      digest.update(numbers.clear().putInt(key.length).array(), 0, Integer.BYTES);
      digest.update(key);
      digest.update(numbers.clear().putLong(entry.getValue()).array());
    }
    return any ? first64(digest.digest()) : EMPTY;
  }

  /** An inner node's hash: over its children's hashes in order. */
  static long innerHash(long[] level, int from, int to) {
    MessageDigest digest = digest();
    ByteBuffer numbers = ByteBuffer.allocate(Long.BYTES);
    boolean any = false;
    for (int i = from; i < to; i++) {
      any |= level[i] != EMPTY;
      digest.update(numbers.clear().putLong(level[i]).array());
    }
    return any ? first64(digest.digest()) : EMPTY;
  }

  private static MessageDigest digest() {
    MessageDigest digest = SHA_256.get();
    digest.reset();
    return digest;
  }

  private static long first64(byte[] hash) {
    return ByteBuffer.wrap(hash).getLong();
  }
}
