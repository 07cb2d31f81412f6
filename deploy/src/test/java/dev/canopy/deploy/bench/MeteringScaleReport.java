package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** The plain-text form of a metering scale run's report. */
final class MeteringScaleReport {

  private MeteringScaleReport() {}

  static String text(JsonNode report) {
    StringBuilder out = new StringBuilder();
    JsonNode setup = report.path("setup");
    JsonNode s = report.path("summary");
    out.append(String.format("Metering scale run: %d simulated hosts x %d instances of one vNIC (%d samples a batch), one reading every %s s, "
            + "%s min, %d controllers, sessions from %d source addresses%n",
        setup.path("hosts").asInt(), setup.path("guestsPerHost").asInt(), setup.path("samplesPerBatch").asInt(),
        setup.path("readingEverySeconds").asText(), setup.path("minutes").asText(), setup.path("controllers").asInt(),
        setup.path("sourceAddresses").asInt()));
    out.append(String.format("enrollment: %.0f s (%.1f hosts/s); sessions open at start: %d (connect failures %d)%n%n",
        setup.path("enrollSeconds").asDouble(), setup.path("enrollmentsPerSecond").asDouble(), setup.path("sessionsOpenAtStart").asLong(),
        setup.path("connectFailuresAtStart").asLong()));
    out.append(String.format("%-44s %14s%n", "figure", "value"));
    row(out, "batches/s offered", s.path("offeredBatchesPerSec"));
    row(out, "samples/s offered", s.path("offeredSamplesPerSec"));
    row(out, "batches/s acknowledged", s.path("ackedBatchesPerSec"));
    row(out, "samples/s acknowledged", s.path("ackedSamplesPerSec"));
    row(out, "ack latency p50 (ms)", s.path("ackP50ms"));
    row(out, "ack latency p99 (ms)", s.path("ackP99ms"));
    row(out, "ack latency max (ms)", s.path("ackMaxMs"));
    row(out, "resends (no ack within 30 s)", s.path("resends"));
    row(out, "readings queued at the agents at the end", s.path("agentQueuedAtEnd"));
    row(out, "counter resets simulated", s.path("counterResets"));
    row(out, "batches/s folded (holder)", s.path("foldedBatchesPerSec"));
    row(out, "points/s added by the fold", s.path("foldedPointsPerSec"));
    row(out, "fold passes / mean pass (s)", s.path("foldPasses").asText() + " / " + s.path("foldPassMeanSeconds").asText());
    row(out, "stored, not folded: start -> end", s.path("storedNotFoldedAtStart").asText() + " -> " + s.path("storedNotFoldedAtEnd").asText());
    row(out, "backlog growth (batches/s)", s.path("backlogGrowthBatchesPerSec"));
    row(out, "fold lag at end (s)", s.path("foldLagSecondsAtEnd"));
    row(out, "storage folders growth (bytes, all nodes)", s.path("storageBytesGrowthAll"));
    row(out, "storage bytes per acknowledged sample", s.path("storageBytesPerAckedSample"));
    out.append(String.format("%nCPU over the run (seconds, and cores = seconds / wall seconds):%n"));
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("cpuSeconds").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.append(String.format("  %-20s %10.1f s  %5.2f cores%n", e.getKey(), e.getValue().asDouble(), s.path("cpuCores").path(e.getKey()).asDouble()));
    }
    out.append(String.format("%nEvery 10 s (t s: offered/acked batches/s, ack p50/p99 ms, agent queue, fold lag s, stored-not-folded, folded total):%n"));
    for (JsonNode r : report.path("every10s")) {
      out.append(String.format("  %4d: %7.1f %7.1f  %6d %6d  %8d  %6.0f  %8d  %8d%n", r.path("t").asLong(), r.path("offeredBatchesPerSec").asDouble(),
          r.path("ackedBatchesPerSec").asDouble(), r.path("ackP50ms").asLong(), r.path("ackP99ms").asLong(), r.path("agentQueued").asLong(),
          r.path("foldLagSeconds").asDouble(), r.path("storedNotFolded").asLong(), r.path("batchesFolded").asLong()));
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String name, Object value) {
    String text = value instanceof JsonNode n ? n.asText() : String.valueOf(value);
    out.append(String.format("%-44s %14s%n", name, text));
  }
}
