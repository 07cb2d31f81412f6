package dev.canopy.cloud.metering.usage;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One graph line's values summed per step, exactly. Points mostly come oldest first, so a run of points
 * in one period is added up before it touches the map: a month at {@link Step#HOUR} is a million
 * additions and 720 map entries. Any order gives the same sums.
 */
final class PeriodSums {

  private final Step step;
  private final TreeMap<Long, Long> sums = new TreeMap<>();
  private boolean running;
  private long runningPeriod;
  private long runningSum;

  PeriodSums(Step step) {
    this.step = step;
  }

  void add(long second, long value) {
    long period = step.periodStart(second);
    if (running && period == runningPeriod) {
      runningSum = Math.addExact(runningSum, value);
      return;
    }
    flush();
    running = true;
    runningPeriod = period;
    runningSum = value;
  }

  /** Each period's start second to its sum, oldest first. */
  SortedMap<Long, Long> sums() {
    flush();
    return sums;
  }

  private void flush() {
    if (running) {
      sums.merge(runningPeriod, runningSum, Math::addExact);
      running = false;
    }
  }
}
