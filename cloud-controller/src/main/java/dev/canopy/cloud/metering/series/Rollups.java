package dev.canopy.cloud.metering.series;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exact sums of a series' points per minute, hour or day ({@link Resolution}). Sums are int64 and
 * overflow throws rather than wraps: a counter never loses a byte between points and roll-ups, so
 * the sum of the points, of the hourly sums and of the daily sums are always the same number.
 */
public final class Rollups {

  private Rollups() {}

  /** Sum per period, keyed by the period's start second, in time order. */
  public static SortedMap<Long, Long> sums(SeriesPoints points, Resolution resolution) {
    SortedMap<Long, Long> sums = new TreeMap<>();
    for (int i = 0; i < points.size(); i++) {
      sums.merge(resolution.periodStart(points.second(i)), points.value(i), Math::addExact);
    }
    return sums;
  }

  /** The sum of all points. */
  public static long total(SeriesPoints points) {
    long total = 0;
    for (int i = 0; i < points.size(); i++) {
      total = Math.addExact(total, points.value(i));
    }
    return total;
  }
}
