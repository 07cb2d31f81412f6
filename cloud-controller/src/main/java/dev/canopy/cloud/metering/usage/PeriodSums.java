package dev.canopy.cloud.metering.usage;

import java.util.Arrays;

/**
 * One graph line's values summed per step, exactly. Points mostly come oldest first, so a point
 * is added to the last period or opens the next one, in two growing arrays; points out of order
 * (a late, unfolded batch) are sorted and merged once at the end. Any order gives the same sums.
 */
final class PeriodSums {

  private final Step step;
  private long[] starts = new long[64];
  private long[] sums = new long[64];
  private int size;
  private boolean ordered = true;

  PeriodSums(Step step) {
    this.step = step;
  }

  void add(long second, long value) {
    long period = step.periodStart(second);
    if (size > 0 && starts[size - 1] == period) {
      sums[size - 1] = Math.addExact(sums[size - 1], value);
      return;
    }
    if (size > 0 && period < starts[size - 1]) {
      ordered = false;
    }
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
