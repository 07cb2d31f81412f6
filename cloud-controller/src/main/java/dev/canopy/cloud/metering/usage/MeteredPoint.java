package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.series.Resolution;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One value of one series: what an instance (CPU) or one of its vNICs (traffic) did in the
 * interval that ended at {@code second}.
 *
 * @param nic the vNIC's MAC address for traffic, null for CPU time
 */
public record MeteredPoint(String instanceId, String nic, Metric metric, long second, long value) {

  public MeteredPoint {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(metric, "metric");
    if ((nic != null) != metric.perNic()) {
      throw new IllegalArgumentException(metric + (metric.perNic() ? " needs" : " has no") + " vNIC");
    }
  }

  /** The UTC hour the point counts in (a point stamped on the hour ends the hour before). */
  public long hourStart() {
    return Resolution.HOUR.periodStart(second);
  }

  /** The UTC day of its hour: one instance-day record holds the point. */
  public LocalDate day() {
    return LocalDate.ofEpochDay(epochDay());
  }

  /** {@link #day()} as days since 1970-01-01 (a pass groups hundreds of thousands of points by it). */
  public long epochDay() {
    return Math.floorDiv(hourStart(), 86_400L);
  }
}
