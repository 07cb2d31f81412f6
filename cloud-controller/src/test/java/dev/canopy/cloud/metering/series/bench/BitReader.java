package dev.canopy.cloud.metering.series.bench;

/** Reads what {@link BitWriter} wrote. */
final class BitReader {

  private final byte[] bytes;
  private long position;

  BitReader(byte[] bytes) {
    this.bytes = bytes;
  }

  long read(int count) {
    long value = 0;
    for (int i = 0; i < count; i++) {
      value = (value << 1) | readBit();
    }
    return value;
  }

  long readBit() {
    int b = bytes[(int) (position >>> 3)] & 0xFF;
    long bit = (b >>> (7 - (position & 7))) & 1;
    position++;
    return bit;
  }
}
