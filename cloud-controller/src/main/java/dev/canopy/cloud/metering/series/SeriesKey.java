package dev.canopy.cloud.metering.series;

import java.util.Objects;

/**
 * One series: an instance, one of its vNICs (by MAC, or by device when the MAC is unknown) and a
 * metric. A per-instance metric ({@link Metric#CPU_NANOS}) has {@code nic == null}.
 */
public record SeriesKey(String instanceId, String nic, Metric metric) {

  /** Longer than any instance id, MAC or tap name; the encoded table relies on it. */
  static final int NAME_LENGTH_MAX = 128;

  public SeriesKey {
    Objects.requireNonNull(metric, "metric");
    checkName(instanceId, "instanceId");
    if (metric.perNic() != (nic != null)) {
      throw new IllegalArgumentException(metric + (metric.perNic() ? " is per vNIC: name the vNIC" : " is per instance: no vNIC"));
    }
    if (nic != null) {
      checkName(nic, "nic");
    }
  }

  public static SeriesKey ofNic(String instanceId, String nic, Metric metric) {
    return new SeriesKey(instanceId, nic, metric);
  }

  public static SeriesKey ofInstance(String instanceId, Metric metric) {
    return new SeriesKey(instanceId, null, metric);
  }

  private static void checkName(String name, String what) {
    if (name == null || name.isEmpty() || name.length() > NAME_LENGTH_MAX) {
      throw new IllegalArgumentException(what + " must be 1.." + NAME_LENGTH_MAX + " characters");
    }
  }
}
