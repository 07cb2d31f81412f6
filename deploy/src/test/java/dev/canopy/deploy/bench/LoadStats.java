package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the simulated agents did, shared by all of them (event-loop threads) and read by the reporter. */
final class LoadStats {

  /** Readings taken (each one batch): what the fleet offered. */
  final LongAdder batchesOffered = new LongAdder();
  final LongAdder samplesOffered = new LongAdder();
  /** Batch sends, first sends and resends after an ack timeout. */
  final LongAdder batchesSent = new LongAdder();
  final LongAdder resends = new LongAdder();
  final LongAdder batchesAcked = new LongAdder();
  final LongAdder samplesAcked = new LongAdder();
  /** Readings waiting in the agents' queues (not acked yet), now. */
  final LongAdder queued = new LongAdder();
  final LongAdder sessionsOpen = new LongAdder();
  final LongAdder sessionFailures = new LongAdder();
  /** Send to ack of the send that was acked, microseconds. */
  private final Recorder ackLatency = new Recorder(3);
  private final Histogram wholeRun = new Histogram(3);
  /** A worker process's latencies not yet taken into an interval. */
  private final Histogram absorbed = new Histogram(3);
  /** The worker process's counters as it last reported them (cumulative). */
  private volatile JsonNode worker = JsonNodeFactory.instance.objectNode();

  void acked(long latencyMicros) {
    ackLatency.recordValue(Math.max(0, latencyMicros));
  }

  /** The latencies since the previous call (a worker's included), also added to the whole run's. */
  synchronized Histogram interval() {
    Histogram h = ackLatency.getIntervalHistogram();
    h.add(absorbed);
    absorbed.reset();
    wholeRun.add(h);
    return h;
  }

  /** This process's counters and the latencies since the previous snapshot, for the parent process. */
  ObjectNode snapshot() {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("batchesOffered", batchesOffered.sum()).put("samplesOffered", samplesOffered.sum()).put("batchesSent", batchesSent.sum())
        .put("resends", resends.sum()).put("batchesAcked", batchesAcked.sum()).put("samplesAcked", samplesAcked.sum())
        .put("queued", queued.sum()).put("sessionsOpen", sessionsOpen.sum()).put("sessionFailures", sessionFailures.sum());
    Histogram h = ackLatency.getIntervalHistogram();
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    s.put("latency", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
    return s;
  }

  /** A worker process's snapshot: its counters replace its previous ones, its latencies add up. */
  void absorb(JsonNode snapshot) throws DataFormatException {
    Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(snapshot.path("latency").asText())), 0);
    synchronized (this) {
      absorbed.add(h);
    }
    worker = snapshot;
  }

  long workerResets() {
    return worker.path("counterResets").asLong(0);
  }

  /** One counter over this process and its worker. */
  long total(String name) {
    long own = switch (name) {
      case "batchesOffered" -> batchesOffered.sum();
      case "samplesOffered" -> samplesOffered.sum();
      case "batchesSent" -> batchesSent.sum();
      case "resends" -> resends.sum();
      case "batchesAcked" -> batchesAcked.sum();
      case "samplesAcked" -> samplesAcked.sum();
      case "queued" -> queued.sum();
      case "sessionsOpen" -> sessionsOpen.sum();
      case "sessionFailures" -> sessionFailures.sum();
      default -> throw new IllegalArgumentException(name);
    };
    return own + worker.path(name).asLong(0);
  }

  synchronized Histogram wholeRun() {
    return wholeRun.copy();
  }

  /** Latencies from now on only (after the warm-up). */
  synchronized void resetWholeRun() {
    ackLatency.getIntervalHistogram();
    absorbed.reset();
    wholeRun.reset();
  }
}
