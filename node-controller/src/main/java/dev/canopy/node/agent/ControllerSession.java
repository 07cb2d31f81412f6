package dev.canopy.node.agent;

import dev.canopy.node.protocol.AgentMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's session with ONE controller: connects, and after a failure or when the session
 * ends reconnects to the same controller with capped exponential backoff and jitter, until
 * {@link #close}. It owns the socket and the sample batches sent on it that wait for their ack
 * (they fail when the socket closes: the metering loop resends). What the messages mean is
 * {@link AgentClient}'s business, told through {@link Listener}.
 *
 * <p>States: CONNECTING (no socket, a connect or a backoff timer pending) → OPEN (socket) →
 * CONNECTING when the socket ends; any → CLOSED on {@link #close}, for good.
 */
final class ControllerSession {

  /** What the session reports to its owner; called on the event loop, must not block. */
  interface Listener {
    void opened(ControllerSession session);

    void message(ControllerSession session, String text);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ControllerSession.class);
  static final Duration BACKOFF_MIN = Duration.ofMillis(500);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

  /** The wait before the first retry, doubling per failure up to max; each wait jittered down to half. */
  record Backoff(Duration min, Duration max) {
    static final Backoff DEFAULT = new Backoff(BACKOFF_MIN, BACKOFF_MAX);
  }

  /** How soon, at most, a session in backoff retries when told the controllers changed. */
  static final Duration PROMPT_RETRY_MAX = Duration.ofSeconds(1);
  /** Bounds the batches waiting for an ack on one socket; the metering loop keeps far fewer in flight. */
  static final int PENDING_BATCHES_MAX = 1_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String controller;
  private final String nodeId;
  private final Listener listener;
  private final RandomGenerator jitter;
  private final LongSupplier openTickets;
  private final Backoff backoff;
  private final Map<String, Promise<Void>> pendingBatches = new ConcurrentHashMap<>();

  private volatile WebSocket socket;
  /** Orders open sessions by age: smaller is older. Meaningful only while open. */
  private volatile long openTicket;
  private volatile boolean closed;
  private int failures;
  private volatile long reconnectTimer = -1;

  /**
   * @param openTickets hands out increasing numbers, one per opened socket, shared by the agent's
   *     sessions so that they can be ordered by how long they have been open
   */
  ControllerSession(Vertx vertx, WebSocketClient client, String controller, String nodeId, Listener listener,
      RandomGenerator jitter, LongSupplier openTickets) {
    this(vertx, client, controller, nodeId, listener, jitter, openTickets, Backoff.DEFAULT);
  }

  ControllerSession(Vertx vertx, WebSocketClient client, String controller, String nodeId, Listener listener,
      RandomGenerator jitter, LongSupplier openTickets, Backoff backoff) {
    this.backoff = backoff;
    this.vertx = vertx;
    this.client = client;
    this.controller = controller;
    this.nodeId = nodeId;
    this.listener = listener;
    this.jitter = jitter;
    this.openTickets = openTickets;
  }

  String controller() {
    return controller;
  }

  boolean isOpen() {
    return socket != null;
  }

  long openTicket() {
    return openTicket;
  }

  void start() {
    connect();
  }

  /** Writes one text frame on the open socket; fails when there is none. */
  Future<Void> send(String text) {
    WebSocket current = socket;
    if (current == null) {
      return Future.failedFuture("no session with " + controller);
    }
    return current.writeTextMessage(text);
  }

  /** Sends a sample batch (or host samples); completes on {@link #batchAcked}, fails if the socket closes first. */
  Future<Void> sendBatch(String batchId, String text) {
    WebSocket current = socket;
    if (current == null) {
      return Future.failedFuture("no session with " + controller);
    }
    if (pendingBatches.size() >= PENDING_BATCHES_MAX) {
      return Future.failedFuture("too many sample batches wait for their ack");
    }
    Promise<Void> acked = pendingBatches.computeIfAbsent(batchId, id -> Promise.promise());
    current.writeTextMessage(text).onFailure(e -> {
      pendingBatches.remove(batchId);
      acked.tryFail(e);
    });
    return acked.future();
  }

  void batchAcked(String batchId) {
    Promise<Void> acked = pendingBatches.remove(batchId);
    if (acked != null) {
      acked.tryComplete();
    }
  }

  /**
   * A controller said the cloud's controllers changed (one of them may have just started): a
   * session waiting out its backoff tries again within {@link #PROMPT_RETRY_MAX}, instead of after up
   * to its backoff's max (half a minute). The backoff is kept: if the controller is still down, the next wait is
   * as long as it would have been. Event loop only.
   */
  void retryPromptly() {
    long timer = reconnectTimer;
    if (closed || socket != null || timer < 0) {
      return;
    }
    vertx.cancelTimer(timer);
    // Jittered: every agent hears of a restarted controller at about the same heartbeat.
    reconnectTimer = vertx.setTimer(1 + jitter.nextLong(PROMPT_RETRY_MAX.toMillis()), id -> connect());
  }

  Future<Void> close() {
    closed = true;
    long timer = reconnectTimer;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    WebSocket current = socket;
    socket = null;
    failPending();
    return current == null ? Future.succeededFuture() : current.close().otherwiseEmpty();
  }

  private void connect() {
    reconnectTimer = -1;
    if (closed) {
      return;
    }
    URI uri = URI.create(controller);
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(uri.getHost())
        .setPort(uri.getPort() < 0 ? AgentMessages.DEFAULT_PORT : uri.getPort())
        .setSsl(true)
        .setURI(AgentMessages.SESSION_PATH);
    client.connect(options).onSuccess(opened -> {
      if (closed) {
        opened.close();
        return;
      }
      failures = 0;
      openTicket = openTickets.getAsLong();
      socket = opened;
      opened.textMessageHandler(text -> listener.message(this, text));
      opened.closeHandler(v -> onEnd(opened));
      opened.exceptionHandler(e -> LOG.warn("session with {}: {}", controller, e.toString()));
      LOG.info("node {}: connected to {}", nodeId, controller);
      listener.opened(this);
    }).onFailure(e -> {
      LOG.warn("node {}: cannot connect to {}: {}", nodeId, controller, e.toString());
      scheduleReconnect();
    });
  }

  private void onEnd(WebSocket ended) {
    if (socket != ended) {
      return;
    }
    socket = null;
    failPending();
    if (!closed) {
      LOG.warn("node {}: session with {} closed; reconnecting", nodeId, controller);
      scheduleReconnect();
    }
  }

  private void failPending() {
    pendingBatches.values().forEach(p -> p.tryFail("the session with " + controller + " ended before the batch was acked"));
    pendingBatches.clear();
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    long base = Math.min(backoff.max().toMillis(), backoff.min().toMillis() << Math.min(failures, 16));
    failures++;
    // Jitter so that agents cut off together do not all return in the same instant.
    long delay = base / 2 + jitter.nextLong(base / 2 + 1);
    reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> connect());
  }
}
