package dev.canopy.cloud.metering.series;

import java.util.Arrays;

/**
 * Timestamps as start + step + exceptions. Point {@code i} is expected one step after point
 * {@code i - 1}; an exception lists a point whose distance from its predecessor differs (after a gap,
 * or an agent tick that came early or late) as (index distance from the previous exception, actual
 * distance). A regular block has no exception, so its timestamps cost only the header's start and step.
 */
final class Timestamps {

  private Timestamps() {}

  /** The most common distance between neighbours (the fewest exceptions); 0 for a single point. */
  static long step(long[] seconds, int count) {
    if (count < 2) {
      return 0;
    }
    long first = seconds[1] - seconds[0];
    int i = 2;
    while (i < count && seconds[i] - seconds[i - 1] == first) {
      i++;
    }
    if (i == count) {
      return first; // the common case, a regular block: no sort
    }
    long[] deltas = new long[count - 1];
    for (int j = 1; j < count; j++) {
      deltas[j - 1] = seconds[j] - seconds[j - 1];
    }
    Arrays.sort(deltas);
    long best = deltas[0];
    int bestRun = 0;
    for (int start = 0, end; start < deltas.length; start = end) {
      end = start;
      while (end < deltas.length && deltas[end] == deltas[start]) {
        end++;
      }
      if (end - start > bestRun) {
        bestRun = end - start;
        best = deltas[start];
      }
    }
    return best;
  }

  static void writeExceptions(ByteSink sink, long[] seconds, int count, long step) {
    int exceptions = 0;
    for (int i = 1; i < count; i++) {
      if (seconds[i] - seconds[i - 1] != step) {
        exceptions++;
      }
    }
    sink.writeVarint(exceptions);
    int previous = 0;
    for (int i = 1; i < count; i++) {
      long distance = seconds[i] - seconds[i - 1];
      if (distance != step) {
        sink.writeVarint(i - previous);
        sink.writeVarint(distance);
        previous = i;
      }
    }
  }

  /** Rebuilds {@code count} seconds from the header's start and step and the exceptions in {@code source}. */
  static long[] read(ByteSource source, long start, long step, int count) {
    int exceptions = source.readCount(0, count - 1, "exception count");
    int[] at = new int[exceptions];
    long[] distances = new long[exceptions];
    int previous = 0;
    for (int e = 0; e < exceptions; e++) {
      // Indices strictly increase and stay inside the block; a bound of 0 makes a surplus exception fail.
      previous += source.readCount(1, count - 1 - previous, "exception index");
      at[e] = previous;
      distances[e] = source.readBounded(1, SeriesPoints.SECOND_MAX, "exception distance");
    }
    long[] seconds = new long[count];
    seconds[0] = start;
    for (int i = 1, e = 0; i < count; i++) {
      long distance = e < exceptions && at[e] == i ? distances[e++] : step;
      seconds[i] = seconds[i - 1] + distance;
      if (distance < 1 || seconds[i] > SeriesPoints.SECOND_MAX) {
        throw new CorruptSeriesException("second " + seconds[i] + " at point " + i + " does not follow " + seconds[i - 1]);
      }
    }
    return seconds;
  }
}
