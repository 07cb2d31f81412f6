package dev.canopy.storage.kv.backend;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a partition's keys sit in one sorted key space: a 4-byte big-endian partition number before
 * the record's key. Big-endian keeps every partition's records contiguous and in the key order of
 * the records themselves (unsigned bytes), so a partition is one range: a fold is a range scan and
 * a drop a range delete. Partitions are ring indexes, never negative.
 */
final class PartitionKeys {

  static final int PREFIX_BYTES = 4;

  private PartitionKeys() {}

  static int checkPartition(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("a partition is a ring index, never negative: " + partition);
    }
    return partition;
  }

  /** The first key of a partition's range (inclusive). */
  static byte[] start(int partition) {
    return encode(checkPartition(partition));
  }

  /**
   * The first key past a partition's range (exclusive). For the largest partition the increment
   * wraps to 0x80000000, which still sorts after it as unsigned bytes.
   */
  static byte[] end(int partition) {
    return encode(checkPartition(partition) + 1);
  }

  static byte[] prefixed(int partition, byte[] key) {
    Objects.requireNonNull(key, "key");
    byte[] out = new byte[PREFIX_BYTES + key.length];
    System.arraycopy(start(partition), 0, out, 0, PREFIX_BYTES);
    System.arraycopy(key, 0, out, PREFIX_BYTES, key.length);
    return out;
  }

  /** The record's own key: what follows the prefix. */
  static byte[] strip(byte[] stored) {
    byte[] key = new byte[stored.length - PREFIX_BYTES];
    System.arraycopy(stored, PREFIX_BYTES, key, 0, key.length);
    return key;
  }

  /** Whether {@code key} begins with the bytes of {@code prefix}. */
  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] encode(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }
}
