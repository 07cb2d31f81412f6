package dev.canopy.cloud.metering.series;

import java.util.Arrays;

/**
 * Points of one series in time order: {@code seconds[i]} (UTC epoch seconds, 32-bit unsigned) and
 * the int64 {@code values[i]} measured over the interval that ended then. Seconds strictly increase:
 * one point per second at most. Immutable (the arrays are copied in and out).
 */
public final class SeriesPoints {

  /** The last second a 32-bit unsigned field holds: the year 2106. */
  public static final long SECOND_MAX = 0xFFFF_FFFFL;

  private final long[] seconds;
  private final long[] values;

  /** Copies the arrays: the caller may reuse them. */
  public SeriesPoints(long[] seconds, long[] values) {
    this(seconds.clone(), values.clone(), "copied");
  }

  private SeriesPoints(long[] seconds, long[] values, String ownership) {
    if (seconds.length != values.length) {
      throw new IllegalArgumentException(seconds.length + " seconds for " + values.length + " values");
    }
    for (int i = 0; i < seconds.length; i++) {
      checkSecond(seconds[i]);
      if (i > 0 && seconds[i] <= seconds[i - 1]) {
        throw new IllegalArgumentException("seconds must strictly increase: " + seconds[i - 1] + " then " + seconds[i]);
      }
    }
    this.seconds = seconds;
    this.values = values;
  }

  /** Takes arrays that nothing else holds (a decoder's own), without copying them again. */
  static SeriesPoints owning(long[] seconds, long[] values) {
    return new SeriesPoints(seconds, values, "owned");
  }

  static void checkSecond(long second) {
    if (second < 0 || second > SECOND_MAX) {
      throw new IllegalArgumentException("second " + second + " is outside 0.." + SECOND_MAX);
    }
  }

  public int size() {
    return seconds.length;
  }

  public long second(int i) {
    return seconds[i];
  }

  public long value(int i) {
    return values[i];
  }

  public long[] seconds() {
    return seconds.clone();
  }

  public long[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesPoints p && Arrays.equals(seconds, p.seconds) && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(seconds) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "SeriesPoints[" + seconds.length + " points" + (seconds.length == 0 ? "" : ", " + seconds[0] + ".." + seconds[seconds.length - 1]) + "]";
  }
}
