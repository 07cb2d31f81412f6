package dev.canopy.cloud.metering.series;

/**
 * Values as a frame of reference: the block's smallest value (zigzag varint), a bit width, then each
 * value minus that minimum in exactly that many bits, most significant first. Chosen over varint
 * deltas when it is smaller: a busy link's jitter fills 24 bits, which varints round up to 4 bytes
 * (7 bits a byte) where packing spends 3. Exact for any int64: differences are taken unsigned.
 */
final class PackedValues {

  private PackedValues() {}

  /** Bytes {@link #write} would produce, without writing them. */
  static long size(long[] values, int count) {
    int width = width(values, count);
    return 10 + 1 + ((long) count * width + 7) / 8;
  }

  static void write(ByteSink sink, long[] values, int count) {
    long min = min(values, count);
    int width = width(values, count);
    sink.writeZigzag(min);
    sink.writeByte(width);
    long buffer = 0;
    int buffered = 0;
    for (int i = 0; i < count; i++) {
      long offset = values[i] - min;
      for (int bit = width - 1; bit >= 0; bit--) {
        buffer = (buffer << 1) | ((offset >>> bit) & 1);
        if (++buffered == 8) {
          sink.writeByte((int) buffer);
          buffer = 0;
          buffered = 0;
        }
      }
    }
    if (buffered > 0) {
      sink.writeByte((int) (buffer << (8 - buffered)));
    }
  }

  static long[] read(ByteSource source, int count) {
    long min = source.readZigzag();
    int width = source.readByte();
    if (width > 64) {
      throw new CorruptSeriesException("packed width " + width + " is over 64 bits");
    }
    long[] values = new long[count];
    int current = 0;
    int left = 0;
    for (int i = 0; i < count; i++) {
      long offset = 0;
      for (int bit = 0; bit < width; bit++) {
        if (left == 0) {
          current = source.readByte();
          left = 8;
        }
        offset = (offset << 1) | ((current >>> --left) & 1);
      }
      values[i] = min + offset;
    }
    if (left > 0 && (current & ((1 << left) - 1)) != 0) {
      throw new CorruptSeriesException("packed values have stray padding bits");
    }
    return values;
  }

  private static long min(long[] values, int count) {
    long min = values[0];
    for (int i = 1; i < count; i++) {
      min = Math.min(min, values[i]);
    }
    return min;
  }

  /** Bits of the largest unsigned distance from the minimum. */
  private static int width(long[] values, int count) {
    long min = min(values, count);
    long spread = 0;
    for (int i = 0; i < count; i++) {
      spread |= values[i] - min;
    }
    return 64 - Long.numberOfLeadingZeros(spread);
  }
}
