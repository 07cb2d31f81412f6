package dev.canopy.cloud.metering.usage;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A graph line: each period's start second and the sum of its values, oldest first, in two
 * primitive arrays. A month of raw 10-second points is 259,200 periods a line, which boxed map
 * entries made several times slower to build than to read from the store. Immutable.
 */
public final class PeriodSeries {

  private static final PeriodSeries EMPTY = new PeriodSeries(new long[0], new long[0], 0);

  private final long[] starts;
  private final long[] sums;
  private final int size;

  /** Takes arrays nothing else holds, starts strictly increasing in {@code [0, size)}. */
  PeriodSeries(long[] starts, long[] sums, int size) {
    this.starts = starts;
    this.sums = sums;
    this.size = size;
  }

  public static PeriodSeries empty() {
    return EMPTY;
  }

  /** From a map of period start to sum (tests and small answers). */
  public static PeriodSeries of(SortedMap<Long, Long> sums) {
    long[] starts = new long[sums.size()];
    long[] values = new long[sums.size()];
    int i = 0;
    for (var e : sums.entrySet()) {
      starts[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return new PeriodSeries(starts, values, i);
  }

  public int size() {
    return size;
  }

  public long start(int i) {
    return starts[checked(i)];
  }

  public long sum(int i) {
    return sums[checked(i)];
  }

  /** The same as a sorted map: a copy, for small answers and tests. */
  public SortedMap<Long, Long> asMap() {
    TreeMap<Long, Long> map = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      map.put(starts[i], sums[i]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeriodSeries other && size == other.size
        && Arrays.equals(starts, 0, size, other.starts, 0, size) && Arrays.equals(sums, 0, size, other.sums, 0, size);
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(starts[i]);
      h = 31 * h + Long.hashCode(sums[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  private int checked(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("period " + i + " of " + size);
    }
    return i;
  }
}
