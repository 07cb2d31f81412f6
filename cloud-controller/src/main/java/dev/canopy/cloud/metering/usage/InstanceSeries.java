package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.metering.series.Metric;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * One instance's series over a range, summed per step: one line per vNIC and traffic metric, and
 * one for CPU time. Exact 64-bit sums.
 */
public record InstanceSeries(String instanceId, long fromSecond, long toSecond, Step step, List<Line> lines) {

  public InstanceSeries {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(step, "step");
    lines = List.copyOf(lines);
  }

  /**
   * @param nic the vNIC's MAC address for a traffic metric, null for CPU time
   * @param periods each period's start second and the sum of the values stamped in it, oldest first
   */
  public record Line(String nic, Metric metric, PeriodSeries periods) {
    public Line {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(periods, "periods");
    }

    public Line(String nic, Metric metric, SortedMap<Long, Long> sums) {
      this(nic, metric, PeriodSeries.of(sums));
    }

    /** The periods as a sorted map of start second to sum: a copy, for small answers. */
    public SortedMap<Long, Long> sums() {
      return periods.asMap();
    }
  }
}
