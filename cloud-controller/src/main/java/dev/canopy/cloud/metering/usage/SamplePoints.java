package dev.canopy.cloud.metering.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.series.SeriesPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node agent's samples (docs/agent-protocol.md, "sampleBatch payload") as series points: an
 * instance sample gives its CPU time, a vNIC sample its four traffic counters. Points are stamped
 * with the sample's whole second. A sample that lacks an instance id or a timestamp, or whose
 * counters are not non-negative integers, gives no point and is counted as rejected: the agent
 * never sends one, so it is a bug or a forgery, and a bill is never made of guesses.
 */
public final class SamplePoints {

  /** The vNIC counters by their wire names, in a fixed order. */
  private static final List<Map.Entry<String, Metric>> NIC_FIELDS = List.of(Map.entry("rxBytes", Metric.RX_BYTES),
      Map.entry("rxPackets", Metric.RX_PACKETS), Map.entry("txBytes", Metric.TX_BYTES), Map.entry("txPackets", Metric.TX_PACKETS));
  private static final String CPU_FIELD = "cpuTimeNanos";

  /** What one batch's samples gave. */
  public record Parsed(List<MeteredPoint> points, int rejected) {}

  private SamplePoints() {}

  public static Parsed of(Iterable<JsonNode> samples) {
    List<MeteredPoint> points = new ArrayList<>();
    int rejected = 0;
    for (JsonNode sample : samples) {
      if (!add(sample, points)) {
        rejected++;
      }
    }
    return new Parsed(points, rejected);
  }

  private static boolean add(JsonNode sample, List<MeteredPoint> points) {
    String instanceId = sample.path("instanceId").asText("");
    JsonNode timestamp = sample.path("timestampMs");
    if (instanceId.isEmpty() || !timestamp.canConvertToExactIntegral()) {
      return false;
    }
    long second = Math.floorDiv(timestamp.asLong(), 1000);
    if (second < 0 || second > SeriesPoints.SECOND_MAX) {
      return false;
    }
    String mac = sample.path("mac").asText("");
    List<MeteredPoint> found = new ArrayList<>();
    if (mac.isEmpty()) {
      Long cpu = counter(sample, CPU_FIELD);
      if (cpu == null) {
        return false;
      }
      found.add(new MeteredPoint(instanceId, null, Metric.CPU_NANOS, second, cpu));
    } else {
      for (Map.Entry<String, Metric> field : NIC_FIELDS) {
        Long value = counter(sample, field.getKey());
        if (value == null) {
          return false;
        }
        found.add(new MeteredPoint(instanceId, mac, field.getValue(), second, value));
      }
    }
    points.addAll(found);
    return true;
  }

  private static Long counter(JsonNode sample, String field) {
    JsonNode value = sample.path(field);
    return value.canConvertToExactIntegral() && value.canConvertToLong() && value.asLong() >= 0 ? value.asLong() : null;
  }
}
