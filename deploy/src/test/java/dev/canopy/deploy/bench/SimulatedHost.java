package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated node agent's metering, as {@code node.metering.MeteringLoop} does it: a reading
 * every 10 s is queued; the queue is shipped oldest first with at most 8 batches awaiting their
 * ack; an ack removes the batch; a batch without an ack for 30 s is sent again. It keeps one
 * session (with its own node certificate) with one controller and sends nothing but sample batches
 * (no heartbeats). All of its state is touched on one event loop (the context that started it).
 */
final class SimulatedHost {

  /** A real agent's reading interval (AgentSettings.meteringInterval). */
  static final long READING_EVERY_MS = 10_000;
  private static final int IN_FLIGHT_MAX = 8;
  private static final long ACK_TIMEOUT_MS = 30_000;
  /** A real agent's reconnect backoff (ControllerSession.Backoff.DEFAULT): doubling from 1 s to 30 s, jittered. */
  private static final long RECONNECT_MIN_MS = 1_000;
  private static final long RECONNECT_MAX_MS = 30_000;
  private static final java.util.concurrent.atomic.AtomicInteger FAILURES_LOGGED = new java.util.concurrent.atomic.AtomicInteger();

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String host;
  private final int port;
  private final HostCounters counters;
  private final LoadStats stats;
  private final SplittableRandom random;
  private final long readingEveryMs;
  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private final Map<String, Batch> inFlight = new LinkedHashMap<>();
  private WebSocket socket;
  private long seq;
  private long lastReadingMs;
  private boolean stopped;
  private long reconnectMs = RECONNECT_MIN_MS;

  SimulatedHost(Vertx vertx, WebSocketClient client, String controllerHost, int controllerPort,
      HostCounters counters, LoadStats stats, long seed, long readingEveryMs) {
    this.readingEveryMs = readingEveryMs;
    this.vertx = vertx;
    this.client = client;
    this.host = controllerHost;
    this.port = controllerPort;
    this.counters = counters;
    this.stats = stats;
    this.random = new SplittableRandom(seed);
  }

  private io.vertx.core.Context context;

  /** The context (event loop) all of this host's state lives on; set before anything runs. */
  void bindTo(io.vertx.core.Context context) {
    this.context = context;
  }

  /** Runs {@code action} on the context that connected this host, where all its state lives. */
  void onContext(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  /** On the host's context: takes the first reading after {@code phaseMs}, then one every interval. */
  void startReadings(long phaseMs) {
    vertx.setTimer(Math.max(1, phaseMs), t -> {
      lastReadingMs = System.currentTimeMillis() - readingEveryMs;
      read();
      vertx.setPeriodic(readingEveryMs, p -> read());
    });
  }

  /** Counter resets simulated so far (read at the end of a run). */
  long counterResets() {
    return counters.resets();
  }

  void stop() {
    stopped = true;
    if (socket != null) {
      socket.close();
    }
  }

  /** On the host's context. */
  void connect() {
    if (stopped) {
      return;
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port).setSsl(true)
        .setURI(AgentMessages.SESSION_PATH);
    client.connect(options).onSuccess(opened -> {
      socket = opened;
      reconnectMs = RECONNECT_MIN_MS;
      stats.sessionsOpen.increment();
      opened.textMessageHandler(this::onMessage);
      opened.closeHandler(v -> {
        stats.sessionsOpen.decrement();
        socket = null;
        // What was in flight on it goes again on the next session, as the real agent does.
        inFlight.clear();
        reconnectLater();
      });
      ship();
    }).onFailure(e -> {
      if (FAILURES_LOGGED.incrementAndGet() <= 5) {
        System.err.println("metering-scale: a session did not open: " + e);
      }
      stats.sessionFailures.increment();
      reconnectLater();
    });
  }

  /**
   * Dials again after the backoff, doubled for the next failure: a fixed 2 s let hundreds of hosts
   * whose handshakes had timed out redial together, and their handshakes took the controllers' CPU.
   */
  private void reconnectLater() {
    long delay = reconnectMs / 2 + random.nextLong(reconnectMs / 2 + 1);
    reconnectMs = Math.min(RECONNECT_MAX_MS, reconnectMs * 2);
    vertx.setTimer(delay, t -> connect());
  }

  private void read() {
    if (stopped) {
      return;
    }
    long now = System.currentTimeMillis();
    ArrayNode samples = counters.read(now, now - lastReadingMs);
    lastReadingMs = now;
    String batchId = (++seq) + "-" + HexFormat.of().toHexDigits(random.nextLong());
    String text = AgentJson.envelope(AgentMessages.SAMPLE_BATCH).put("batchId", batchId).set("samples", samples).toString();
    queue.add(new Batch(batchId, text, samples.size()));
    stats.batchesOffered.increment();
    stats.samplesOffered.add(samples.size());
    stats.queued.increment();
    ship();
  }

  private void ship() {
    if (socket == null) {
      return;
    }
    for (Batch batch : queue) {
      if (inFlight.size() >= IN_FLIGHT_MAX) {
        return;
      }
      if (inFlight.containsKey(batch.id)) {
        continue;
      }
      if (batch.sends > 0) {
        stats.resends.increment();
      }
      batch.sends++;
      batch.sentNanos = System.nanoTime();
      inFlight.put(batch.id, batch);
      long sentAt = batch.sentNanos;
      vertx.setTimer(ACK_TIMEOUT_MS, t -> {
        if (batch.sentNanos == sentAt && inFlight.remove(batch.id) != null) {
          ship();
        }
      });
      stats.batchesSent.increment();
      socket.writeTextMessage(batch.text);
    }
  }

  private void onMessage(String text) {
    JsonNode message;
    try {
      message = AgentJson.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      return;
    }
    if (!AgentMessages.SAMPLE_BATCH_ACK.equals(message.path("type").asText())) {
      return;
    }
    Batch batch = inFlight.remove(message.path("batchId").asText());
    if (batch == null || !queue.remove(batch)) {
      return;
    }
    stats.acked((System.nanoTime() - batch.sentNanos) / 1_000);
    stats.batchesAcked.increment();
    stats.samplesAcked.add(batch.samples);
    stats.queued.decrement();
    ship();
  }

  private static final class Batch {
    final String id;
    final String text;
    final int samples;
    int sends;
    long sentNanos;

    Batch(String id, String text, int samples) {
      this.id = id;
      this.text = text;
      this.samples = samples;
    }
  }
}
