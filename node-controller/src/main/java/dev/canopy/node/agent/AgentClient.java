package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.CanopyTrustManager;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's connection to the controllers. {@link #start} enrolls once (skipped when the
 * data folder already holds credentials), then keeps one mutual-TLS WebSocket session to the
 * first controller that answers, rotating through the list with capped exponential backoff. On
 * the session it sends a heartbeat every interval and runs each received command through the
 * injected dispatcher on a worker thread, answering with its {@link Ack}.
 *
 * <p>The dispatcher and the inventory suppliers may block (libvirt): they never run on the
 * event loop.
 */
public final class AgentClient {

  private static final Logger LOG = LoggerFactory.getLogger(AgentClient.class);
  private static final Duration BACKOFF_MIN = Duration.ofMillis(500);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
  private static final int MAX_PENDING_BATCHES = 1_000;

  private final Vertx vertx;
  private final AgentSettings settings;
  private final Supplier<HostCapacity> capacity;
  private final Supplier<HostLoad> load;
  private final Supplier<List<DomainReport>> domains;
  private final Function<Command, Ack> dispatcher;
  private final InstantSource clock;
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Map<String, Promise<Void>> pendingBatches = new ConcurrentHashMap<>();
  private final List<Runnable> sessionListeners = new CopyOnWriteArrayList<>();

  private volatile AgentCredentials credentials;
  private volatile List<String> controllers = List.of();
  private volatile WebSocket session;
  private volatile String sessionController;
  private volatile boolean closed;
  private WebSocketClient client;
  private int controllerIndex;
  private int failures;
  private long heartbeatTimer = -1;

  /**
   * @param domains what libvirt really runs (the hypervisor side's inventory); may block
   * @param dispatcher runs one command and answers it; may block; an expected failure is an Ack
   *     with ok=false
   */
  public AgentClient(
      Vertx vertx,
      AgentSettings settings,
      Supplier<HostCapacity> capacity,
      Supplier<HostLoad> load,
      Supplier<List<DomainReport>> domains,
      Function<Command, Ack> dispatcher,
      InstantSource clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.capacity = capacity;
    this.load = load;
    this.domains = domains;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /** True when the data folder already holds an enrolled agent's credentials. */
  public static boolean isEnrolled(java.nio.file.Path dataDir) {
    return java.nio.file.Files.exists(dataDir.resolve("node.json"));
  }

  /**
   * Loads or obtains the credentials, then starts connecting in the background.
   *
   * @return the node id, once enrolled; fails with {@link EnrollmentException} when enrollment
   *     was refused or no controller could be trusted
   */
  public Future<String> start() {
    return vertx.executeBlocking(this::loadOrEnroll, false).map(loaded -> {
      credentials = loaded;
      // The cloud's current set first, then any the operator named that it did not return.
      Set<String> merged = new LinkedHashSet<>(loaded.controllers());
      merged.addAll(settings.controllers());
      controllers = List.copyOf(merged);
      client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setSsl(true)
          .setVerifyHost(false)
          .setKeyCertOptions(KeyCertOptions.wrap(PeerCertificates.keyManagers(loaded.key(), loaded.certificate())))
          .setTrustOptions(TrustOptions.wrap(new CanopyTrustManager(loaded.ca(), clock, Set.of(PeerRole.CONTROLLER), "agent → controller")))
          .setMaxMessageSize(AgentMessages.MAX_MESSAGE_BYTES)
          .setConnectTimeout(10_000));
      heartbeatTimer = vertx.setPeriodic(settings.heartbeatInterval().toMillis(), id -> heartbeat());
      connect();
      return loaded.nodeId();
    });
  }

  public Optional<String> nodeId() {
    return Optional.ofNullable(credentials).map(AgentCredentials::nodeId);
  }

  /**
   * Runs {@code listener} on the event loop each time a session opens, e.g. to resend what waited
   * for a controller (the metering queue). It must not block.
   */
  public void onSessionOpen(Runnable listener) {
    sessionListeners.add(listener);
  }

  public boolean connected() {
    return session != null;
  }

  /** The controller URL of the current session, if any. */
  public Optional<String> connectedTo() {
    return Optional.ofNullable(session == null ? null : sessionController);
  }

  /**
   * Sends a metering batch; completes when the controller has stored it durably. Resending a
   * batch id is safe: the controller stores it once and acks again.
   */
  public Future<Void> sendSampleBatch(String batchId, JsonNode samples) {
    WebSocket current = session;
    if (current == null) {
      return Future.failedFuture("no session with a controller");
    }
    if (pendingBatches.size() >= MAX_PENDING_BATCHES) {
      return Future.failedFuture("too many sample batches wait for their ack");
    }
    Promise<Void> acked = pendingBatches.computeIfAbsent(batchId, id -> Promise.promise());
    ObjectNode message = envelope(AgentMessages.SAMPLE_BATCH).put("batchId", batchId).set("samples", samples);
    current.writeTextMessage(message.toString()).onFailure(e -> {
      pendingBatches.remove(batchId);
      acked.tryFail(e);
    });
    return acked.future();
  }

  public Future<Void> close() {
    closed = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    WebSocket current = session;
    session = null;
    Future<Void> closing = current == null ? Future.succeededFuture() : current.close().otherwiseEmpty();
    return closing.compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  private AgentCredentials loadOrEnroll() throws Exception {
    Optional<AgentCredentials> existing = AgentCredentials.load(settings.dataDir());
    if (existing.isPresent()) {
      LOG.info("node {}: using the credentials in {}", existing.get().nodeId(), settings.dataDir());
      return existing.get();
    }
    String token = settings.token()
        .orElseThrow(() -> new EnrollmentException("this node is not enrolled yet and no enrollment token was given (--token)"));
    AgentCredentials enrolled =
        new Enroller(vertx, clock).enroll(settings.controllers(), token, settings.hostname(), settings.zone(), capacity.get());
    enrolled.save(settings.dataDir());
    LOG.info("enrolled as node {}; controllers {}", enrolled.nodeId(), enrolled.controllers());
    return enrolled;
  }

  // ---- the session ----

  private void connect() {
    if (closed) {
      return;
    }
    String controller = controllers.get(controllerIndex % controllers.size());
    URI uri = URI.create(controller);
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(uri.getHost())
        .setPort(uri.getPort() < 0 ? AgentMessages.DEFAULT_PORT : uri.getPort())
        .setSsl(true)
        .setURI(AgentMessages.SESSION_PATH);
    client.connect(options).onSuccess(socket -> {
      if (closed) {
        socket.close();
        return;
      }
      failures = 0;
      session = socket;
      sessionController = controller;
      socket.textMessageHandler(this::onMessage);
      socket.closeHandler(v -> onSessionEnd(socket, controller, "closed"));
      socket.exceptionHandler(e -> LOG.warn("session with {}: {}", controller, e.toString()));
      LOG.info("node {}: connected to {}", credentials.nodeId(), controller);
      heartbeat();
      sessionListeners.forEach(Runnable::run);
    }).onFailure(e -> {
      LOG.warn("node {}: cannot connect to {}: {}", credentials.nodeId(), controller, e.toString());
      controllerIndex++;
      scheduleReconnect();
    });
  }

  private void onSessionEnd(WebSocket socket, String controller, String how) {
    if (session != socket) {
      return;
    }
    session = null;
    pendingBatches.values().forEach(p -> p.tryFail("the session ended before the batch was acked"));
    pendingBatches.clear();
    if (!closed) {
      LOG.warn("node {}: session with {} {}; reconnecting", credentials.nodeId(), controller, how);
      controllerIndex++;
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    long base = Math.min(BACKOFF_MAX.toMillis(), BACKOFF_MIN.toMillis() << Math.min(failures, 16));
    failures++;
    // Jitter so that agents cut off together do not all return in the same instant.
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    vertx.setTimer(Math.max(1, delay), id -> connect());
  }

  /**
   * Sends a heartbeat now instead of at the next interval: after what it reports changed (the
   * hypervisor came up), so the controller does not schedule on stale capacity.
   */
  public void heartbeatNow() {
    vertx.runOnContext(v -> heartbeat());
  }

  private void heartbeat() {
    if (session == null || closed) {
      return;
    }
    vertx.executeBlocking(() -> {
          ObjectNode message = envelope(AgentMessages.HEARTBEAT);
          message.set("capacity", json.valueToTree(capacity.get()));
          message.set("load", json.valueToTree(load.get()));
          message.set("domains", json.valueToTree(domains.get()));
          return message.toString();
        }, false)
        .onSuccess(text -> {
          WebSocket current = session;
          if (current != null) {
            current.writeTextMessage(text);
          }
        })
        .onFailure(e -> LOG.warn("node {}: could not take the heartbeat's inventory: {}", credentials.nodeId(), e.toString()));
  }

  private void onMessage(String text) {
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (IOException e) {
      LOG.warn("the controller sent a message that is not JSON; ignored");
      return;
    }
    if (message.path("v").asInt(-1) != AgentMessages.VERSION) {
      LOG.warn("the controller sent protocol version {} (this agent speaks {}); ignored", message.path("v"), AgentMessages.VERSION);
      return;
    }
    String type = message.path("type").asText("");
    switch (type) {
      case AgentMessages.COMMAND -> command(message.path("command"));
      case AgentMessages.SAMPLE_BATCH_ACK -> {
        Promise<Void> acked = pendingBatches.remove(message.path("batchId").asText(""));
        if (acked != null) {
          acked.tryComplete();
        }
      }
      default -> LOG.warn("the controller sent a message of unknown type '{}'; ignored", type);
    }
  }

  private void command(JsonNode node) {
    Command command;
    try {
      command = json.treeToValue(node, Command.class);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("the controller sent a malformed command; ignored: {}", e.getMessage());
      return;
    }
    if (command == null || command.id() == null) {
      LOG.warn("the controller sent a command without an id; ignored");
      return;
    }
    vertx.executeBlocking(() -> dispatcher.apply(command), false)
        .recover(failure -> {
          // The dispatcher's contract is to answer, not throw: this is a bug, reported as such.
          LOG.error("command {} ({}) failed inside the agent", command.id(), command.type(), failure);
          return Future.succeededFuture(new Ack(command.id(), false, "AgentError", "the agent failed to run the command; see its log", -1, null));
        })
        .onSuccess(ack -> {
          WebSocket current = session;
          if (current == null) {
            LOG.warn("command {} answered while no session is open; the controller will time out and retry", command.id());
            return;
          }
          current.writeTextMessage(envelope(AgentMessages.ACK).<ObjectNode>set("ack", json.valueToTree(ack)).toString());
        });
  }

  private ObjectNode envelope(String type) {
    return json.createObjectNode().put("v", AgentMessages.VERSION).put("type", type);
  }

  /** For tests and the launcher: the controllers this agent rotates through. */
  public List<String> controllers() {
    return new ArrayList<>(controllers);
  }
}
