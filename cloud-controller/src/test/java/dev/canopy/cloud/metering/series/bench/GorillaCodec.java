package dev.canopy.cloud.metering.series.bench;

/**
 * The peer the benchmark compares against: Facebook Gorilla's encoding (Pelkonen et al., VLDB 2015,
 * section 4.1), timestamps as delta-of-delta in the paper's buckets and values as the XOR of
 * consecutive doubles with the leading/trailing-zero window. Values are the counter deltas turned into
 * doubles, as a float-only time-series store would keep them (exact below 2^53 only). Test code only.
 */
final class GorillaCodec {

  private GorillaCodec() {}

  static byte[] encode(long[] seconds, long[] values, int from, int count) {
    BitWriter out = new BitWriter();
    out.write(count, 32);
    out.write(seconds[from], 32);
    out.write(Double.doubleToRawLongBits(values[from]), 64);
    long previousDelta = 0;
    long previousBits = Double.doubleToRawLongBits(values[from]);
    int previousLeading = Integer.MAX_VALUE;
    int previousTrailing = 0;
    for (int i = from + 1; i < from + count; i++) {
      long delta = seconds[i] - seconds[i - 1];
      writeDeltaOfDelta(out, delta - previousDelta);
      previousDelta = delta;

      long bits = Double.doubleToRawLongBits(values[i]);
      long xor = bits ^ previousBits;
      previousBits = bits;
      if (xor == 0) {
        out.writeBit(0);
        continue;
      }
      out.writeBit(1);
      int leading = Math.min(31, Long.numberOfLeadingZeros(xor));
      int trailing = Long.numberOfTrailingZeros(xor);
      if (leading >= previousLeading && trailing >= previousTrailing) {
        out.writeBit(0);
        out.write(xor >>> previousTrailing, 64 - previousLeading - previousTrailing);
      } else {
        int meaningful = 64 - leading - trailing;
        out.writeBit(1);
        out.write(leading, 5);
        out.write(meaningful == 64 ? 0 : meaningful, 6);
        out.write(xor >>> trailing, meaningful);
        previousLeading = leading;
        previousTrailing = trailing;
      }
    }
    return out.toBytes();
  }

  /** Decodes into seconds and (double) values, for the test that keeps the peer honest. */
  static long[][] decode(byte[] encoded) {
    BitReader in = new BitReader(encoded);
    int count = (int) in.read(32);
    long[] seconds = new long[count];
    double[] values = new double[count];
    seconds[0] = in.read(32);
    long previousBits = in.read(64);
    values[0] = Double.longBitsToDouble(previousBits);
    long previousDelta = 0;
    int leading = 0;
    int trailing = 0;
    for (int i = 1; i < count; i++) {
      previousDelta += readDeltaOfDelta(in);
      seconds[i] = seconds[i - 1] + previousDelta;
      if (in.readBit() == 1) {
        if (in.readBit() == 1) {
          leading = (int) in.read(5);
          int meaningful = (int) in.read(6);
          trailing = 64 - leading - (meaningful == 0 ? 64 : meaningful);
        }
        previousBits ^= in.read(64 - leading - trailing) << trailing;
      }
      values[i] = Double.longBitsToDouble(previousBits);
    }
    long[] longs = new long[count];
    for (int i = 0; i < count; i++) {
      longs[i] = (long) values[i];
    }
    return new long[][] {seconds, longs};
  }

  private static void writeDeltaOfDelta(BitWriter out, long d) {
    if (d == 0) {
      out.writeBit(0);
    } else if (d >= -63 && d <= 64) {
      out.write(0b10, 2);
      out.write(d, 7);
    } else if (d >= -255 && d <= 256) {
      out.write(0b110, 3);
      out.write(d, 9);
    } else if (d >= -2047 && d <= 2048) {
      out.write(0b1110, 4);
      out.write(d, 12);
    } else {
      out.write(0b1111, 4);
      out.write(d, 32);
    }
  }

  private static long readDeltaOfDelta(BitReader in) {
    int width;
    if (in.readBit() == 0) {
      return 0;
    } else if (in.readBit() == 0) {
      width = 7;
    } else if (in.readBit() == 0) {
      width = 9;
    } else if (in.readBit() == 0) {
      width = 12;
    } else {
      width = 32;
    }
    long raw = in.read(width);
    // The paper's ranges are asymmetric ([-63, 64] in 7 bits): values above 2^(w-1)-1 wrap negative
    // in two's complement, except the top one, which stands for +2^(w-1).
    long signed = (raw << (64 - width)) >> (64 - width);
    return signed == -(1L << (width - 1)) ? -signed : signed;
  }
}
