package dev.canopy.cloud.metering.series;

import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable byte array with the primitives of the encoded forms: varints, zigzag, 32-bit words, a CRC trailer. */
final class ByteSink {

  private byte[] bytes;
  private int size;

  ByteSink(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  /** Forgets everything after the first {@code length} bytes. */
  void truncate(int length) {
    size = length;
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  /** Unsigned LEB128: 7 bits a byte, at most 10 bytes for 64 bits. */
  void writeVarint(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** Zigzag maps small magnitudes of either sign to small unsigned numbers: 0, -1, 1, -2 → 0, 1, 2, 3. */
  void writeZigzag(long value) {
    writeVarint((value << 1) ^ (value >> 63));
  }

  void writeInt32(long unsigned) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (unsigned >>> shift);
    }
  }

  void writeBytes(byte[] from, int offset, int length) {
    ensure(length);
    System.arraycopy(from, offset, bytes, size, length);
    size += length;
  }

  /** Appends the CRC-32C of everything written so far. */
  void writeCrc() {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, size);
    writeInt32(crc.getValue());
  }

  byte[] array() {
    return bytes;
  }

  byte[] toArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
