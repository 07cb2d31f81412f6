package dev.canopy.cloud.metering.series;

import java.util.zip.CRC32C;

/**
 * Reads what {@link ByteSink} wrote, within bounds: every read past the end, over-long varint or
 * checksum mismatch throws {@link CorruptSeriesException} rather than yielding a made-up value.
 */
final class ByteSource {

  private static final int VARINT_BYTES_MAX = 10;
  private static final int CRC_BYTES = 4;

  private final byte[] bytes;
  private int position;
  private final int end;

  ByteSource(byte[] bytes, int offset, int end) {
    this.bytes = bytes;
    this.position = offset;
    this.end = end;
  }

  /**
   * Checks the CRC-32C trailer of a whole encoded form and returns a source over what it covers.
   *
   * @param what names the form in the exception's message
   */
  static ByteSource checked(byte[] encoded, String what) {
    if (encoded == null || encoded.length < CRC_BYTES + 1) {
      throw new CorruptSeriesException(what + " is truncated: " + (encoded == null ? 0 : encoded.length) + " bytes");
    }
    int body = encoded.length - CRC_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(encoded, 0, body);
    long stored = new ByteSource(encoded, body, encoded.length).readInt32();
    if (crc.getValue() != stored) {
      throw new CorruptSeriesException(what + " fails its checksum (truncated or altered)");
    }
    return new ByteSource(encoded, 0, body);
  }

  /** Reads the version byte that starts every encoded form; a reader knows exactly one. */
  void expectVersion(int version, String what) {
    int found = readByte();
    if (found != version) {
      throw new CorruptSeriesException(what + " version " + found + " is not " + version);
    }
  }

  int readByte() {
    need(1);
    return bytes[position++] & 0xFF;
  }

  long readVarint() {
    long value = 0;
    for (int i = 0; i < VARINT_BYTES_MAX; i++) {
      int b = readByte();
      if (i == VARINT_BYTES_MAX - 1 && b > 1) {
        throw new CorruptSeriesException("varint longer than 64 bits at byte " + position);
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new CorruptSeriesException("unterminated varint at byte " + position);
  }

  /** A varint that must lie in {@code [min, max]}: counts and lengths are checked before use. */
  long readBounded(long min, long max, String what) {
    long v = readVarint();
    if (v < min || v > max) {
      throw new CorruptSeriesException(what + " " + Long.toUnsignedString(v) + " is outside " + min + ".." + max);
    }
    return v;
  }

  /** {@link #readBounded} for counts and lengths, which are ints. */
  int readCount(long min, int max, String what) {
    return (int) readBounded(min, max, what);
  }

  long readZigzag() {
    long v = readVarint();
    return (v >>> 1) ^ -(v & 1);
  }

  long readInt32() {
    need(4);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (bytes[position++] & 0xFF);
    }
    return v;
  }

  int position() {
    return position;
  }

  int remaining() {
    return end - position;
  }

  void skip(int count) {
    need(count);
    position += count;
  }

  byte[] bytes() {
    return bytes;
  }

  /** @throws CorruptSeriesException when bytes are left over: a well-formed form is read exactly */
  void expectEnd(String what) {
    if (position != end) {
      throw new CorruptSeriesException(what + " has " + (end - position) + " trailing bytes");
    }
  }

  private void need(int count) {
    if (count > end - position) {
      throw new CorruptSeriesException("truncated: needs " + count + " bytes at " + position + ", has " + (end - position));
    }
  }
}
