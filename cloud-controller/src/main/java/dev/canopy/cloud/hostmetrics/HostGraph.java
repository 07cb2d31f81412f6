package dev.canopy.cloud.hostmetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's series as a graph reads them: one time column of period ends, {@code step} seconds
 * apart, covering {@code (from, to]}, and per series one value column in the series' unit (the
 * mean of the points in each period), null where the period has no point. This is uPlot's data
 * shape, so the browser draws it as it comes.
 */
public record HostGraph(String nodeId, long from, long to, long step, List<Long> times, List<Line> series) {

  /** Periods one answer holds at most: widen the step for longer windows. */
  public static final long PERIODS_MAX = 10_000;

  /** One series: its name ({@code cpu.user}), group ({@code cpu}), unit and values. */
  public record Line(String name, String group, String unit, List<Double> values) {}

  /**
   * @param points stored points by series name and second, as {@link HostMetricsStore#read} gives them
   * @throws IllegalArgumentException when the window holds more than {@link #PERIODS_MAX} periods
   */
  public static HostGraph of(String nodeId, long from, long to, long step, Map<String, TreeMap<Long, Long>> points) {
    if (step < 1 || from >= to) {
      throw new IllegalArgumentException("a graph needs from < to and a positive step");
    }
    long first = periodEnd(from + 1, step);
    long last = periodEnd(to, step);
    long periods = (last - first) / step + 1;
    if (periods > PERIODS_MAX) {
      throw new IllegalArgumentException("from-to at step " + step + " s is " + periods + " periods; at most " + PERIODS_MAX);
    }
    List<Long> times = new ArrayList<>((int) periods);
    for (long t = first; t <= last; t += step) {
      times.add(t);
    }
    List<Line> lines = new ArrayList<>();
    points.forEach((name, byTime) -> {
      double[] sums = new double[(int) periods];
      int[] counts = new int[(int) periods];
      double scale = HostSeries.scale(name);
      byTime.forEach((second, value) -> {
        int i = (int) ((periodEnd(second, step) - first) / step);
        if (i >= 0 && i < periods) {
          sums[i] += value / scale;
          counts[i]++;
        }
      });
      List<Double> values = new ArrayList<>((int) periods);
      for (int i = 0; i < periods; i++) {
        values.add(counts[i] == 0 ? null : sums[i] / counts[i]);
      }
      lines.add(new Line(name, HostSeries.group(name), HostSeries.unit(name), values));
    });
    return new HostGraph(nodeId, from, to, step, times, lines);
  }

  /** The end of the period {@code second} falls in: periods are {@code (end - step, end]}, ends multiples of the step. */
  static long periodEnd(long second, long step) {
    return Math.floorDiv(second + step - 1, step) * step;
  }
}
