package dev.canopy.cloud.metering.series.bench;

import java.util.Arrays;

/** Bits appended most significant first, as Gorilla's stream is laid out. */
final class BitWriter {

  private long[] words = new long[64];
  private long bits;

  void write(long value, int count) {
    for (int i = count - 1; i >= 0; i--) {
      writeBit((value >>> i) & 1);
    }
  }

  void writeBit(long bit) {
    int word = (int) (bits >>> 6);
    if (word == words.length) {
      words = Arrays.copyOf(words, words.length * 2);
    }
    words[word] |= bit << (63 - (bits & 63));
    bits++;
  }

  long bitLength() {
    return bits;
  }

  byte[] toBytes() {
    byte[] out = new byte[(int) ((bits + 7) >>> 3)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (words[i >>> 3] >>> (56 - 8 * (i & 7)));
    }
    return out;
  }
}
