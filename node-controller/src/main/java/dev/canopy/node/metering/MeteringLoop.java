package dev.canopy.node.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.Hypervisor;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's metering adapter, a verticle: every interval it reads the counters of this node's
 * running guests, turns them into deltas ({@link CounterDeltas}) and stores them durably in the
 * {@link SampleQueue}; then it ships the queue oldest first through the agent's session, with at
 * most {@link #IN_FLIGHT_MAX} batches awaiting their ack, and deletes each batch once a
 * controller acknowledges it as stored. A batch whose send fails (no session, the session ended,
 * no ack within {@link #ACK_TIMEOUT}) stays queued and goes again at the next tick or when a
 * session opens; the controller stores a batch id once, so a resend never counts twice.
 *
 * <p>Threads: the fields below are touched only on this verticle's event-loop context. libvirt
 * and file work run through the context's ordered {@code executeBlocking}, so they never block
 * the loop and never overlap each other (no two readings race for the baselines).
 */
public final class MeteringLoop extends VerticleBase {

  /** Enough to drain an hour's backlog (360 batches) in seconds over one session. */
  public static final int IN_FLIGHT_MAX = 8;
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(MeteringLoop.class);

  /** Where batches go: the agent's session to a controller. */
  public interface BatchSender {
    boolean connected();

    /** Completes once a controller has stored the batch durably; fails otherwise. */
    Future<Void> send(String batchId, JsonNode samples);
  }

  private final Supplier<Map<String, GuestStats>> guests;
  private final SampleQueue queue;
  private final BatchSender sender;
  private final InstantSource clock;
  private final long intervalMs;
  private final AtomicLong storedReadings = new AtomicLong();
  /** Batch id → its ack timer. */
  private final Map<String, Long> inFlight = new HashMap<>();
  private long timer = -1;
  private boolean reading;
  private boolean peeking;
  private boolean stopped;

  MeteringLoop(Supplier<Map<String, GuestStats>> guests, SampleQueue queue, BatchSender sender, InstantSource clock, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the metering interval must be positive");
    }
    this.guests = guests;
    this.queue = queue;
    this.sender = sender;
    this.clock = clock;
    this.intervalMs = interval.toMillis();
  }

  /**
   * The loop for this node's guests on {@code hypervisor}, shipping through {@code agent}, queued
   * under {@code dataDir}; deploy it with {@code vertx.deployVerticle}. Blocks: opening the queue
   * reads what a previous run left.
   */
  public static MeteringLoop create(AgentClient agent, Hypervisor hypervisor, NodeIdentity node, Path dataDir,
      Duration interval, InstantSource clock, RandomGenerator random) {
    BatchSender sender = new BatchSender() {
      @Override
      public boolean connected() {
        return agent.connected();
      }

      @Override
      public Future<Void> send(String batchId, JsonNode samples) {
        return agent.sendSampleBatch(batchId, samples);
      }
    };
    MeteringLoop loop = new MeteringLoop(new OwnedGuests(hypervisor, node), SampleQueue.open(dataDir, random),
        sender, clock, interval);
    agent.onSessionOpen(loop::shipSoon);
    return loop;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMs, id -> tick());
    // Whatever a previous run left goes first.
    ship();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    inFlight.values().forEach(vertx::cancelTimer);
    // Completes after a reading or file operation in progress, so the folder may be reopened at once.
    return context.executeBlocking(() -> null, true);
  }

  /** From any thread: ship now (a session opened). */
  public void shipSoon() {
    if (context != null) {
      context.runOnContext(v -> ship());
    }
  }

  /** Readings stored so far (for tests and logs). */
  public long storedReadings() {
    return storedReadings.get();
  }

  /** Batches waiting for a controller's ack. */
  public int queuedBatches() {
    return queue.batches();
  }

  private void tick() {
    if (stopped || reading) {
      return;
    }
    reading = true;
    context.executeBlocking(this::readAndStore, true).onComplete(done -> {
      reading = false;
      if (done.failed()) {
        LOG.warn("metering: this reading failed (the next one covers its interval): {}", done.cause().toString());
      }
      ship();
    });
  }

  /** On a worker. Baselines advance only with stored samples: a refused reading is covered by the next. */
  private Void readAndStore() {
    Map<String, GuestStats> now = guests.get();
    long nowMs = clock.millis();
    CounterDeltas.Step step = CounterDeltas.advance(queue.baselines(), now, nowMs);
    if (!queue.append(step.samples(), step.after(), nowMs)) {
      LOG.error("metering: the on-disk queue is full ({} batches, {} bytes unacknowledged): not sampling until a controller "
          + "acknowledges; the next stored reading spans the gap (only a counter reset meanwhile loses traffic)",
          queue.batches(), queue.bytes());
      return null;
    }
    storedReadings.incrementAndGet();
    return null;
  }

  private void ship() {
    if (stopped || peeking || inFlight.size() >= IN_FLIGHT_MAX || !sender.connected()) {
      return;
    }
    peeking = true;
    Set<String> exclude = Set.copyOf(inFlight.keySet());
    int room = IN_FLIGHT_MAX - inFlight.size();
    context.executeBlocking(() -> queue.peek(room, exclude), true).onComplete(peeked -> {
      peeking = false;
      if (peeked.failed()) {
        LOG.warn("metering: cannot read the queue: {}", peeked.cause().toString());
        return;
      }
      send(peeked.result());
    });
  }

  private void send(List<SampleQueue.Batch> batches) {
    for (SampleQueue.Batch batch : batches) {
      String id = batch.batchId();
      if (stopped || inFlight.containsKey(id)) {
        continue;
      }
      inFlight.put(id, vertx.setTimer(ACK_TIMEOUT.toMillis(), t -> {
        if (inFlight.remove(id) != null) {
          LOG.warn("metering: no ack for batch {} within {} s; it will be sent again", id, ACK_TIMEOUT.toSeconds());
        }
      }));
      // The ack completes on the agent's event loop; come back to this context.
      sender.send(id, batch.samples()).onComplete(ack -> context.runOnContext(v -> onAck(id, ack)));
    }
  }

  private void onAck(String batchId, AsyncResult<Void> ack) {
    if (stopped) {
      // A restarted loop may own the folder by now; it resends this batch, which the controller dedupes.
      return;
    }
    if (ack.failed()) {
      clear(batchId);
      LOG.debug("metering: batch {} not acknowledged ({}); it stays queued", batchId, ack.cause().getMessage());
      return;
    }
    // Still in flight until deleted, so no peek in between sends it again.
    context.executeBlocking(() -> queue.remove(batchId), true).onComplete(removed -> {
      clear(batchId);
      if (removed.failed()) {
        LOG.warn("metering: batch {} was acknowledged but not deleted (it will be resent): {}", batchId, removed.cause().toString());
        return;
      }
      ship();
    });
  }

  private void clear(String batchId) {
    Long ackTimer = inFlight.remove(batchId);
    if (ackTimer != null) {
      vertx.cancelTimer(ackTimer);
    }
  }
}
