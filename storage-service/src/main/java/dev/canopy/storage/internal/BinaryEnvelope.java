package dev.canopy.storage.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A fenced record for values that are not JSON (the metering store's series and ledgers): the
 * magic {@code 0xFE 'C' 'E' '1'}, the writer's epoch (int64, big endian), then the value's bytes
 * as they are. {@link EpochFencedStore} reads its epoch as it reads a JSON envelope's; a JSON
 * record never starts with the byte 0xFE (it is not UTF-8), so the two cannot be confused.
 */
public final class BinaryEnvelope {

  private static final byte[] MAGIC = {(byte) 0xFE, 'C', 'E', '1'};
  /** Where the value starts. */
  public static final int HEADER_BYTES = MAGIC.length + Long.BYTES;

  private BinaryEnvelope() {}

  public static byte[] wrap(long epoch, byte[] value) {
    if (epoch < 0) {
      throw new IllegalArgumentException("an epoch is never negative: " + epoch);
    }
    return ByteBuffer.allocate(HEADER_BYTES + value.length).put(MAGIC).putLong(epoch).put(value).array();
  }

  public static boolean isEnvelope(byte[] stored) {
    return stored.length >= MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** @throws IllegalArgumentException when {@code stored} is not a binary envelope or its epoch is negative */
  public static long epochOf(byte[] stored) {
    if (!isEnvelope(stored) || stored.length < HEADER_BYTES) {
      throw new IllegalArgumentException("not a binary fenced record");
    }
    long epoch = ByteBuffer.wrap(stored, MAGIC.length, Long.BYTES).getLong();
    if (epoch < 0) {
      throw new IllegalArgumentException("a binary fenced record with a negative epoch");
    }
    return epoch;
  }

  /** The value inside. @throws IllegalArgumentException when {@code stored} is not a binary envelope */
  public static byte[] valueOf(byte[] stored) {
    epochOf(stored);
    return Arrays.copyOfRange(stored, HEADER_BYTES, stored.length);
  }
}
