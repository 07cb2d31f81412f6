package dev.canopy.node.hostmetrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.HostSample;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's host-metrics adapter, a verticle: every interval it takes a reading of {@code /proc}
 * on a worker ({@link HostReader}), turns it into a {@link HostSample} against the previous one
 * ({@link HostRates}) and queues it in memory; then it sends the queue, oldest first and up to
 * {@link #SAMPLES_PER_BATCH_MAX} a message, one batch at a time, on the agent's session, and drops a
 * batch once a controller acknowledges it as stored. A batch not acknowledged (no session, the
 * session ended, no ack within {@link #ACK_TIMEOUT}) goes again; the controller keeps a second's
 * first value, so a resend adds nothing. At most {@link #QUEUED_SAMPLES_MAX} wait: past that the
 * oldest are dropped (a graph shows a gap rather than the agent growing without bound).
 *
 * <p>Threads: the fields are touched on this verticle's context only.
 */
public final class HostMetricsLoop extends VerticleBase {

  /** An hour of 10-second samples. */
  public static final int QUEUED_SAMPLES_MAX = 360;
  /** A batch is a few KiB of JSON per sample at most: far below the session's message limit. */
  public static final int SAMPLES_PER_BATCH_MAX = 30;
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(HostMetricsLoop.class);

  /** Where batches go: the agent's session to a controller. */
  public interface SampleSender {
    boolean connected();

    /** Completes once a controller has stored the samples; fails otherwise. */
    Future<Void> send(String batchId, JsonNode samples);
  }

  private final HostReader reader;
  private final SampleSender sender;
  private final long intervalMs;
  private final String batchPrefix;
  private final ArrayDeque<HostSample> queue = new ArrayDeque<>();
  private Optional<HostCounters> previous = Optional.empty();
  private long nextBatch = 1;
  private String inFlight;
  private int inFlightCount;
  private long ackTimer = -1;
  private long timer = -1;
  private boolean reading;
  private boolean stopped;
  private long dropped;

  /** @param random names this run's batches, so two runs' ids never meet */
  public HostMetricsLoop(HostReader reader, SampleSender sender, Duration interval, RandomGenerator random) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the host metrics interval must be positive");
    }
    this.reader = reader;
    this.sender = sender;
    this.intervalMs = interval.toMillis();
    this.batchPrefix = "h-" + String.format("%016x", random.nextLong()) + "-";
  }

  /** The loop over this host's {@code /proc}, shipping through {@code agent}; deploy it with {@code vertx.deployVerticle}. */
  public static HostMetricsLoop create(AgentClient agent, Duration interval, InstantSource clock, RandomGenerator random) {
    SampleSender sender = new SampleSender() {
      @Override
      public boolean connected() {
        return agent.connected();
      }

      @Override
      public Future<Void> send(String batchId, JsonNode samples) {
        return agent.sendHostSamples(batchId, samples);
      }
    };
    HostMetricsLoop loop = new HostMetricsLoop(new HostReader(ProcFiles.host(), clock), sender, interval, random);
    agent.onSessionOpen(loop::shipSoon);
    return loop;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(1, intervalMs, id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (ackTimer >= 0) {
      vertx.cancelTimer(ackTimer);
    }
    return Future.succeededFuture();
  }

  /** From any thread: ship now (a session opened). */
  public void shipSoon() {
    if (context != null) {
      context.runOnContext(v -> ship());
    }
  }

  /** Samples waiting for a controller's ack (for tests). */
  public int queuedSamples() {
    return queue.size();
  }

  /** Samples dropped because the queue was full (for tests and logs). */
  public long droppedSamples() {
    return dropped;
  }

  private void tick() {
    if (stopped || reading) {
      return;
    }
    reading = true;
    context.executeBlocking(reader::read, true).onComplete(read -> {
      reading = false;
      if (read.failed()) {
        LOG.warn("host metrics: this reading failed (the next one covers its interval): {}", read.cause().toString());
        return;
      }
      Optional<HostSample> sample = HostRates.between(previous, read.result());
      previous = Optional.of(read.result());
      sample.ifPresent(this::enqueue);
      ship();
    });
  }

  private void enqueue(HostSample sample) {
    if (queue.size() >= QUEUED_SAMPLES_MAX) {
      if (inFlight != null && inFlightCount > 0) {
        // The oldest are in the batch on the wire: drop the oldest one not sent instead.
        List<HostSample> sent = new ArrayList<>();
        for (int i = 0; i < inFlightCount; i++) {
          sent.add(queue.pollFirst());
        }
        queue.pollFirst();
        for (int i = sent.size() - 1; i >= 0; i--) {
          queue.addFirst(sent.get(i));
        }
      } else {
        queue.pollFirst();
      }
      if (dropped++ % 60 == 0) {
        LOG.warn("host metrics: no controller acknowledged the last {} samples; dropping the oldest", QUEUED_SAMPLES_MAX);
      }
    }
    queue.addLast(sample);
  }

  private void ship() {
    if (stopped || inFlight != null || queue.isEmpty() || !sender.connected()) {
      return;
    }
    String batchId = batchPrefix + nextBatch++;
    List<HostSample> batch = queue.stream().limit(SAMPLES_PER_BATCH_MAX).toList();
    inFlight = batchId;
    inFlightCount = batch.size();
    ackTimer = vertx.setTimer(ACK_TIMEOUT.toMillis(), t -> {
      if (batchId.equals(inFlight)) {
        LOG.warn("host metrics: no ack for batch {} within {} s; sending again", batchId, ACK_TIMEOUT.toSeconds());
        settle(batchId, false);
      }
    });
    sender.send(batchId, AgentJson.MAPPER.valueToTree(batch))
        .onComplete(ack -> context.runOnContext(v -> settle(batchId, ack.succeeded())));
  }

  private void settle(String batchId, boolean acked) {
    if (!batchId.equals(inFlight)) {
      return;
    }
    if (acked) {
      for (int i = 0; i < inFlightCount && !queue.isEmpty(); i++) {
        queue.pollFirst();
      }
    }
    inFlight = null;
    inFlightCount = 0;
    vertx.cancelTimer(ackTimer);
    ackTimer = -1;
    if (acked) {
      ship();
    }
  }
}
