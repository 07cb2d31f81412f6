package dev.canopy.cloud.metering.usage;

import java.util.Arrays;

/**
 * One graph line's values summed per step, exactly. Points mostly come oldest first, so a point
 * is added to the last period or opens the next one, in two growing arrays; points out of order
 * (a late, unfolded batch) are sorted and merged once at the end. Any order gives the same sums.
 */
final class PeriodSums {

  /** Arrays made at most this large up front (8 MB each); a longer line grows them. */
  static final int EXPECTED_PERIODS_MAX = 1 << 20;

  private final Step step;
  private final long stepSeconds;
  private long[] starts;
  private long[] sums;
  private int size;
  private boolean ordered = true;

  PeriodSums(Step step) {
    this(step, 64);
  }

  /**
   * @param expectedPeriods about how many periods the line will hold (a month at 10 s: 259,200), so
   *     its arrays are made once instead of doubled up to that size (the copies were a tenth of a
   *     raw month's query); capped at {@value #EXPECTED_PERIODS_MAX}
   */
  PeriodSums(Step step, long expectedPeriods) {
    this.step = step;
    this.stepSeconds = step.seconds();
    int capacity = (int) Math.max(16, Math.min(expectedPeriods, EXPECTED_PERIODS_MAX));
    starts = new long[capacity];
    sums = new long[capacity];
  }

  void add(long second, long value) {
    if (size > 0) {
      // A period holds the seconds (start, start + step]: a point in order falls in the last
      // period or the next, found without the division of periodStart (once per raw point).
      long last = starts[size - 1];
      if (second > last && second <= last + stepSeconds) {
        sums[size - 1] = Math.addExact(sums[size - 1], value);
        return;
      }
      if (second > last + stepSeconds && second <= last + 2 * stepSeconds) {
        append(last + stepSeconds, value);
        return;
      }
    }
    long period = step.periodStart(second);
    if (size > 0 && starts[size - 1] == period) {
      sums[size - 1] = Math.addExact(sums[size - 1], value);
      return;
    }
    if (size > 0 && period < starts[size - 1]) {
      ordered = false;
    }
    append(period, value);
  }

  private void append(long period, long value) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      sums = Arrays.copyOf(sums, size * 2);
    }
    starts[size] = period;
    sums[size++] = value;
  }

  /** Each period's start second and its sum, oldest first; the last call (the arrays are handed over). */
  PeriodSeries series() {
    if (!ordered) {
      mergeOutOfOrder();
    }
    if (size < starts.length / 4) {
      // Sized for the whole range but sparsely filled (a vNIC attached for an hour of the month):
      // the answer keeps only what it uses.
      starts = Arrays.copyOf(starts, size);
      sums = Arrays.copyOf(sums, size);
    }
    return new PeriodSeries(starts, sums, size);
  }

  /** Sorts the runs by period start (stable, so equal periods stay together) and adds up equal ones. */
  private void mergeOutOfOrder() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
    long[] mergedStarts = new long[size];
    long[] mergedSums = new long[size];
    int merged = 0;
    for (int i : order) {
      if (merged > 0 && mergedStarts[merged - 1] == starts[i]) {
        mergedSums[merged - 1] = Math.addExact(mergedSums[merged - 1], sums[i]);
      } else {
        mergedStarts[merged] = starts[i];
        mergedSums[merged++] = sums[i];
      }
    }
    starts = mergedStarts;
    sums = mergedSums;
    size = merged;
    ordered = true;
  }
}
