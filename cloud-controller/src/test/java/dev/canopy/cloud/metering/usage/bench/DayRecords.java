package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.series.bench.VnicTrace;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.MeteredPoint;
import dev.canopy.cloud.metering.usage.MeteredInstance;
import dev.canopy.cloud.metering.usage.MeteringStore;
import dev.canopy.cloud.metering.usage.MeteringWrites;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Instance-day records (and an open day's hour records) of 10-second points, built by the aggregator's own merge. */
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

  /**
   * Stores, for every instance of {@link AgentFleet}, its day {@code dayStart} from 00:00 to
   * {@code hours}, as the fleet's readings would have left it: busy random values every 10 s, a CPU
   * series and the vNICs' four counters, in hour records (the day is open). Nothing when {@code hours} is 0.
   */
  static void storeFleetDaysUntil(MeteringStore store, Instant dayStart, int hours) {
    if (hours == 0) {
      return;
    }
    long start = dayStart.getEpochSecond();
    int points = hours * 360;
    LocalDate day = LocalDate.ofInstant(dayStart, ZoneOffset.UTC);
    SplittableRandom random = new SplittableRandom(7);
    for (int node = 0; node < AgentFleet.NODES; node++) {
      MeteringWrites writes = new MeteringWrites();
      for (int i = 0; i < AgentFleet.INSTANCES_PER_NODE; i++) {
        String id = AgentFleet.instanceId(node, i);
        List<MeteredPoint> dayPoints = new ArrayList<>();
        for (int p = 0; p < points; p++) {
          long second = start + 10L * (p + 1);
          dayPoints.add(new MeteredPoint(id, null, Metric.CPU_NANOS, second, random.nextLong(10_000_000_000L)));
          for (int nic = 0; nic < 1 + i % 2; nic++) {
            String mac = AgentFleet.mac(node, i, nic);
            long rx = random.nextLong(1_250_000_000L);
            long tx = random.nextLong(1_250_000_000L);
            dayPoints.add(new MeteredPoint(id, mac, Metric.RX_BYTES, second, rx));
            dayPoints.add(new MeteredPoint(id, mac, Metric.RX_PACKETS, second, rx / 1_400));
            dayPoints.add(new MeteredPoint(id, mac, Metric.TX_BYTES, second, tx));
            dayPoints.add(new MeteredPoint(id, mac, Metric.TX_PACKETS, second, tx / 1_400));
          }
        }
        String account = AgentFleet.accountId(node, i);
        InstanceDay stored = InstanceDay.empty(id, account, day).merge(dayPoints, start + 3_600L * hours).day();
        for (long hour : stored.hoursMetered()) {
          writes.add(stored.hour(hour));
        }
        writes.add(MeteredInstance.firstMeteredOn(id, account, day));
      }
      store.putAll(writes);
    }
  }
}
