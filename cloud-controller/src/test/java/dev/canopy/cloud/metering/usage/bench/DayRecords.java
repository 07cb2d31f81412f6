package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.series.bench.VnicTrace;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.MeteredPoint;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Whole instance-day records of 10-second points, built by the aggregator's own merge. */
final class DayRecords {

  static final String MAC = "52:54:00:00:00:0a";

  private DayRecords() {}

  /**
   * A day of one vNIC's four counters on {@code trace} (bytes from the trace, packets a 1,400th of
   * them), and with {@code cpu} a CPU series of random busy time.
   */
  static InstanceDay day(String instanceId, String accountId, LocalDate day, VnicTrace trace, boolean cpu, long seed) {
    long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long[] rx = trace.values(seed);
    long[] tx = trace.values(seed + 1);
    SplittableRandom random = new SplittableRandom(seed);
    List<MeteredPoint> points = new ArrayList<>();
    for (int i = 0; i < VnicTrace.POINTS_PER_DAY; i++) {
      long second = start + 10L * (i + 1);
      points.add(new MeteredPoint(instanceId, MAC, Metric.RX_BYTES, second, rx[i]));
      points.add(new MeteredPoint(instanceId, MAC, Metric.RX_PACKETS, second, rx[i] / 1_400));
      points.add(new MeteredPoint(instanceId, MAC, Metric.TX_BYTES, second, tx[i]));
      points.add(new MeteredPoint(instanceId, MAC, Metric.TX_PACKETS, second, tx[i] / 1_400));
      if (cpu) {
        points.add(new MeteredPoint(instanceId, null, Metric.CPU_NANOS, second, random.nextLong(10_000_000_000L)));
      }
    }
    return InstanceDay.empty(instanceId, accountId, day).merge(points).day();
  }
}
