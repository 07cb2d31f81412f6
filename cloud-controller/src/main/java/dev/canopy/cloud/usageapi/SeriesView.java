package dev.canopy.cloud.usageapi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.InstanceSeries;
import dev.canopy.cloud.metering.usage.PeriodSeries;
import java.io.IOException;
import java.util.List;

/**
 * The series answer: {@code {"instanceId", "from", "to", "step", "series": [{"nic", "metric",
 * "points": [[periodStartEpochSecond, sum], ...]}]}}; seconds and sums are exact JSON integers.
 */
@JsonPropertyOrder({"instanceId", "from", "to", "step", "series"})
record SeriesView(String instanceId, long from, long to, long step, List<Line> series) {

  @JsonPropertyOrder({"nic", "metric", "points"})
  record Line(String nic, String metric, @JsonSerialize(using = PointsWriter.class) PeriodSeries points) {}

  static SeriesView of(InstanceSeries series) {
    List<Line> lines = series.lines().stream().map(line -> new Line(line.nic(), name(line.metric()), line.periods())).toList();
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

  /** Writes the pairs straight from the line's arrays: a raw month is 259,200 of them a line. */
  static final class PointsWriter extends JsonSerializer<PeriodSeries> {
    @Override
    public void serialize(PeriodSeries points, JsonGenerator json, SerializerProvider provider) throws IOException {
      json.writeStartArray();
      for (int i = 0; i < points.size(); i++) {
        json.writeStartArray();
        json.writeNumber(points.start(i));
        json.writeNumber(points.sum(i));
        json.writeEndArray();
      }
      json.writeEndArray();
    }
  }
}
