package dev.canopy.cloud.metering.series;

/**
 * The sealed-block format of one series, version {@value #VERSION}:
 *
 * <pre>
 * byte    version            {@value #VERSION}; a reader refuses any other
 * byte    flags              bit 0 ZSTD: the body is zstd; bit 1 CONSTANT: every value equals the header's;
 *                            bit 2 REGULAR: no timestamp exception (no exception list in the body);
 *                            bit 3 PACKED: values are bit-packed ({@link PackedValues}), not varint deltas;
 *                            bit 4 SEALED: written by {@link #encode} (zstd was tried); clear in an open
 *                            block ({@link #encodeOpen}), which a later pass seals
 * varint  series id          from {@link SeriesIds}
 * uint32  start second       UTC epoch seconds of the first point
 * varint  step               seconds between regular neighbours (0 for a single point)
 * varint  count              points, 1..{@value #POINTS_PER_BLOCK_MAX}
 * zigzag  value              only when CONSTANT
 * body, raw, or (ZSTD) varint raw length + one zstd frame:
 *   unless REGULAR:  the exceptions ({@link Timestamps})
 *   unless CONSTANT: zigzag varint of value[0], then of value[i] - value[i-1] (two's complement,
 *                    wrapping: exact for any int64); or, when PACKED, {@link PackedValues}
 * uint32  CRC-32C of all the bytes before it
 * </pre>
 *
 * Values take whichever of varint deltas and packing is smaller raw. The body is compressed only when the frame plus its length prefix is smaller than the raw body,
 * so zstd never makes a block bigger. A regular block of equal values (an idle vNIC) has no body at
 * all: its size does not depend on its number of points.
 */
public final class BlockCodec {

  public static final int VERSION = 1;
  /** A day of 10-second points: more than any block policy seals at, and a bound for readers. */
  public static final int POINTS_PER_BLOCK_MAX = 8_640;

  static final int FLAG_ZSTD = 1;
  static final int FLAG_CONSTANT = 2;
  static final int FLAG_REGULAR = 4;
  static final int FLAG_PACKED = 8;
  static final int FLAG_SEALED = 16;
  private static final int FLAGS_KNOWN = FLAG_ZSTD | FLAG_CONSTANT | FLAG_REGULAR | FLAG_PACKED | FLAG_SEALED;
  /** The longest raw body: an exception (two varints) and a value (one) per point, 10 bytes each, and a count. */
  private static final int BODY_BYTES_PER_POINT_MAX = 30;

  /** A decoded block: whose series, and its points. */
  public record Block(int seriesId, SeriesPoints points) {}

  private BlockCodec() {}

  /** A sealed block: the body compressed when zstd pays. */
  public static byte[] encode(int seriesId, SeriesPoints points) {
    return encode(seriesId, points.seconds(), points.values(), points.size());
  }

  /**
   * A block still taking points (the current hour's, rewritten at every pass): zstd is not tried,
   * which is a quarter of a pass's CPU; {@link #encode} it again once the window has passed.
   */
  public static byte[] encodeOpen(int seriesId, SeriesPoints points) {
    return encodeChecked(seriesId, points.seconds(), points.values(), points.size(), false);
  }

  /** Whether a block was sealed ({@link #encode}); false for an open one. Reads the flags only. */
  public static boolean isSealed(byte[] encoded) {
    if (encoded.length < 2) {
      throw new CorruptSeriesException("a block of " + encoded.length + " bytes");
    }
    return (encoded[1] & FLAG_SEALED) != 0;
  }

  /** Encodes the first {@code count} points of arrays that the caller keeps in order. */
  static byte[] encode(int seriesId, long[] seconds, long[] values, int count) {
    return encodeChecked(seriesId, seconds, values, count, true);
  }

  /**
   * {@link #encode} ({@code seal}) or {@link #encodeOpen} of the first {@code count} points of a
   * caller's own arrays, read in place: a fold pass re-encodes every open block it touches, and
   * the copies into and out of {@link SeriesPoints} were a third of that.
   *
   * @throws IllegalArgumentException unless the seconds strictly increase within 0..{@link SeriesPoints#SECOND_MAX}
   */
  public static byte[] encode(int seriesId, long[] seconds, long[] values, int count, boolean seal) {
    if (count > seconds.length || count > values.length) {
      throw new IllegalArgumentException(count + " points of arrays of " + seconds.length + " and " + values.length);
    }
    for (int i = 0; i < count; i++) {
      SeriesPoints.checkSecond(seconds[i]);
      if (i > 0 && seconds[i] <= seconds[i - 1]) {
        throw new IllegalArgumentException("seconds must strictly increase: " + seconds[i - 1] + " then " + seconds[i]);
      }
    }
    return encodeChecked(seriesId, seconds, values, count, seal);
  }

  private static byte[] encodeChecked(int seriesId, long[] seconds, long[] values, int count, boolean seal) {
    if (seriesId < 0) {
      throw new IllegalArgumentException("series id " + seriesId + " is negative");
    }
    if (count < 1 || count > POINTS_PER_BLOCK_MAX) {
      throw new IllegalArgumentException(count + " points; a block holds 1.." + POINTS_PER_BLOCK_MAX);
    }
    long step = Timestamps.step(seconds, count);
    boolean regular = isRegular(seconds, count, step);
    boolean constant = isConstant(values, count);
    ByteSink body = new ByteSink(constant && regular ? 0 : count * 2);
    if (!regular) {
      Timestamps.writeExceptions(body, seconds, count, step);
    }
    boolean packed = false;
    if (!constant) {
      int valuesFrom = body.size();
      body.writeZigzag(values[0]);
      for (int i = 1; i < count; i++) {
        body.writeZigzag(values[i] - values[i - 1]);
      }
      if (PackedValues.size(values, count) < body.size() - valuesFrom) {
        body.truncate(valuesFrom);
        PackedValues.write(body, values, count);
        packed = true;
      }
    }
    byte[] compressed = !seal || body.size() == 0 ? null : Zstd.compress(body.array(), body.size());
    boolean zstd = compressed != null && compressed.length + varintLength(body.size()) < body.size();
    int flags = (zstd ? FLAG_ZSTD : 0) | (constant ? FLAG_CONSTANT : 0) | (regular ? FLAG_REGULAR : 0)
        | (packed ? FLAG_PACKED : 0) | (seal ? FLAG_SEALED : 0);

    ByteSink out = new ByteSink(24 + (zstd ? compressed.length : body.size()));
    out.writeByte(VERSION);
    out.writeByte(flags);
    out.writeVarint(seriesId);
    out.writeInt32(seconds[0]);
    out.writeVarint(step);
    out.writeVarint(count);
    if (constant) {
      out.writeZigzag(values[0]);
    }
    if (zstd) {
      out.writeVarint(body.size());
      out.writeBytes(compressed, 0, compressed.length);
    } else {
      out.writeBytes(body.array(), 0, body.size());
    }
    out.writeCrc();
    return out.toArray();
  }

  /** @throws CorruptSeriesException when the bytes are not a whole, intact block of a known version */
  public static Block decode(byte[] encoded) {
    ByteSource in = ByteSource.checked(encoded, "block");
    in.expectVersion(VERSION, "block");
    int flags = in.readByte();
    if ((flags & ~FLAGS_KNOWN) != 0) {
      throw new CorruptSeriesException("unknown block flags " + Integer.toBinaryString(flags));
    }
    int seriesId = in.readCount(0, Integer.MAX_VALUE, "series id");
    long start = in.readInt32();
    long step = in.readBounded(0, SeriesPoints.SECOND_MAX, "step");
    int count = in.readCount(1, POINTS_PER_BLOCK_MAX, "point count");
    boolean constant = (flags & FLAG_CONSTANT) != 0;
    boolean regular = (flags & FLAG_REGULAR) != 0;
    if (count > 1 && step == 0 && regular) {
      throw new CorruptSeriesException("a regular block of " + count + " points needs a step");
    }
    long constantValue = constant ? in.readZigzag() : 0;
    ByteSource body = (flags & FLAG_ZSTD) == 0 ? in : inflate(in, count);

    long[] seconds = regular ? Timestamps.read(noExceptions(), start, step, count) : Timestamps.read(body, start, step, count);
    if (constant && (flags & FLAG_PACKED) != 0) {
      throw new CorruptSeriesException("a constant block has no packed values");
    }
    long[] values;
    if (constant) {
      values = new long[count];
      java.util.Arrays.fill(values, constantValue);
    } else if ((flags & FLAG_PACKED) != 0) {
      values = PackedValues.read(body, count);
    } else {
      values = readDeltas(body, count);
    }
    body.expectEnd("block body");
    in.expectEnd("block");
    return new Block(seriesId, SeriesPoints.owning(seconds, values));
  }

  private static long[] readDeltas(ByteSource body, int count) {
    long[] values = new long[count];
    values[0] = body.readZigzag();
    for (int i = 1; i < count; i++) {
      values[i] = values[i - 1] + body.readZigzag();
    }
    return values;
  }

  private static ByteSource inflate(ByteSource in, int count) {
    int rawLength = in.readCount(1, count * BODY_BYTES_PER_POINT_MAX + 10, "raw body length");
    int offset = in.position();
    int length = in.remaining();
    in.skip(length);
    return new ByteSource(Zstd.decompress(in.bytes(), offset, length, rawLength), 0, rawLength);
  }

  /** A regular block's timestamps: an exception list of length 0. */
  private static ByteSource noExceptions() {
    return new ByteSource(new byte[] {0}, 0, 1);
  }

  private static boolean isRegular(long[] seconds, int count, long step) {
    for (int i = 1; i < count; i++) {
      if (seconds[i] - seconds[i - 1] != step) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConstant(long[] values, int count) {
    for (int i = 1; i < count; i++) {
      if (values[i] != values[0]) {
        return false;
      }
    }
    return true;
  }

  private static int varintLength(long value) {
    return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
  }
}
