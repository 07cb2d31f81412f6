package dev.canopy.cloud.usageapi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.InstanceSeries;
import java.util.List;

/**
 * The series answer: {@code {"instanceId", "from", "to", "step", "series": [{"nic", "metric",
 * "points": [[periodStartEpochSecond, sum], ...]}]}}; seconds and sums are exact JSON integers.
 */
@JsonPropertyOrder({"instanceId", "from", "to", "step", "series"})
record SeriesView(String instanceId, long from, long to, long step, List<Line> series) {

  @JsonPropertyOrder({"nic", "metric", "points"})
  record Line(String nic, String metric, List<long[]> points) {}

  static SeriesView of(InstanceSeries series) {
    List<Line> lines = series.lines().stream()
        .map(line -> new Line(line.nic(), name(line.metric()),
            line.sums().entrySet().stream().map(e -> new long[] {e.getKey(), e.getValue()}).toList()))
        .toList();
    return new SeriesView(series.instanceId(), series.fromSecond(), series.toSecond(), series.step().seconds(), lines);
  }

  /** The metric as the agent protocol's samples name it. */
  static String name(Metric metric) {
    return switch (metric) {
      case RX_BYTES -> "rxBytes";
      case RX_PACKETS -> "rxPackets";
      case TX_BYTES -> "txBytes";
      case TX_PACKETS -> "txPackets";
      case CPU_NANOS -> "cpuNanos";
    };
  }
}
