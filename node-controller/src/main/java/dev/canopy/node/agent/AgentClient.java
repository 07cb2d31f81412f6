package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.cloud.CloudLimits;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import dev.canopy.node.protocol.SwappableKeyManager;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's connection to the controllers. {@link #start} enrolls once (skipped when the
 * data folder already holds credentials), then keeps one mutual-TLS WebSocket session with every
 * controller in its list ({@link ControllerSession}, each reconnecting on its own with capped,
 * jittered exponential backoff). It sends a heartbeat every interval on every open session and
 * runs each command received on any of them through the injected dispatcher on a worker thread,
 * answering with its {@link Ack} on the session the command came from. Commands from a stale
 * controller are harmless: the dispatcher refuses any epoch below the highest it has fsynced.
 *
 * <p>The dispatcher and the inventory suppliers may block (libvirt): they never run on the
 * event loop.
 */
public final class AgentClient {

  private static final Logger LOG = LoggerFactory.getLogger(AgentClient.class);
  /** How often the agent asks whether its certificate is due for renewal (it is, after 60 of its 90 days). */
  public static final java.time.Duration RENEWAL_CHECK_EVERY = java.time.Duration.ofHours(1);

  private final Vertx vertx;
  private final AgentSettings settings;
  private final Supplier<HostCapacity> capacity;
  private final Supplier<HostLoad> load;
  private final Supplier<List<DomainReport>> domains;
  private final Function<Command, Ack> dispatcher;
  private final InstantSource clock;
  private final ObjectMapper json = AgentJson.MAPPER;
  private final List<Runnable> sessionListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong openTickets = new AtomicLong();
  /** Reconnect jitter only; java.util.Random because the sessions' timers may share it across threads. */
  private final Random jitter;

  private volatile AgentCredentials credentials;
  private volatile List<String> controllers = List.of();
  private volatile List<ControllerSession> sessions = List.of();
  private volatile boolean closed;
  private WebSocketClient client;
  private ControllerSession.Listener sessionListener;
  private long heartbeatTimer = -1;
  private long renewalTimer = -1;
  /** What the TLS client presents; swapped when the certificate is renewed. */
  private SwappableKeyManager keys;
  private CertificateRenewer renewer;

  /**
   * @param domains what libvirt really runs (the hypervisor side's inventory); may block
   * @param dispatcher runs one command and answers it; may block; an expected failure is an Ack
   *     with ok=false
   * @param jitter spreads reconnects; injected, so a simulation replays from its seed
   */
  public AgentClient(
      Vertx vertx,
      AgentSettings settings,
      Supplier<HostCapacity> capacity,
      Supplier<HostLoad> load,
      Supplier<List<DomainReport>> domains,
      Function<Command, Ack> dispatcher,
      InstantSource clock,
      Random jitter) {
    this.vertx = vertx;
    this.settings = settings;
    this.capacity = capacity;
    this.load = load;
    this.domains = domains;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.jitter = jitter;
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
      merged.removeIf(url -> !isControllerUrl(url));
      controllers = List.copyOf(merged);
      keys = new SwappableKeyManager(loaded.key(), loaded.certificate());
      renewer = new CertificateRenewer(vertx, clock, settings.dataDir(), () -> credentials, renewed -> {
        credentials = renewed;
        keys.swap(renewed.key(), renewed.certificate());
      });
      client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setSsl(true)
          .setVerifyHost(false)
          .setKeyCertOptions(KeyCertOptions.wrap(keys))
          .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(loaded.ca(), clock, Set.of(PeerRole.CONTROLLER), "agent → controller")))
          .setMaxMessageSize(AgentMessages.MESSAGE_BYTES_MAX)
          .setConnectTimeout(10_000));
      sessionListener = new ControllerSession.Listener() {
        @Override
        public void opened(ControllerSession session) {
          onOpen(session);
        }

        @Override
        public void message(ControllerSession session, String text) {
          onMessage(session, text);
        }
      };
      sessions = controllers.stream().map(this::newSession).toList();
      heartbeatTimer = vertx.setPeriodic(settings.heartbeatInterval().toMillis(), id -> heartbeat(openSessions()));
      renewalTimer = vertx.setPeriodic(RENEWAL_CHECK_EVERY.toMillis(), id -> renewCertificateIfDue());
      if (!closed) {
        // close() may have been called while enrollment ran: then nothing connects.
        sessions.forEach(ControllerSession::start);
      }
      return loaded.nodeId();
    });
  }

  /**
   * Renews the node's certificate over the session open longest once two thirds of its lifetime
   * have passed (checked every {@link #RENEWAL_CHECK_EVERY} and at each session's opening).
   * Completes with true when renewed, false when not due; fails when due and not renewed (logged
   * with the expiry; tried again at the next check).
   */
  public Future<Boolean> renewCertificateIfDue() {
    Promise<Boolean> result = Promise.promise();
    vertx.runOnContext(v -> {
      if (renewer == null || closed) {
        result.complete(false);
        return;
      }
      renewer.renewIfDue(text -> oldestOpen().map(session -> session.send(text))
          .orElseGet(() -> Future.failedFuture("no session with a controller is open"))).onComplete(result);
    });
    return result.future();
  }

  /** The certificate the agent presents now. */
  public Optional<java.security.cert.X509Certificate> certificate() {
    return Optional.ofNullable(credentials).map(AgentCredentials::certificate);
  }

  public Optional<String> nodeId() {
    return Optional.ofNullable(credentials).map(AgentCredentials::nodeId);
  }

  /**
   * Runs {@code listener} on the event loop each time a session with any controller opens, e.g. to
   * resend what waited for a controller (the metering queue). It must not block.
   */
  public void onSessionOpen(Runnable listener) {
    sessionListeners.add(listener);
  }

  /** True when a session with at least one controller is open. */
  public boolean connected() {
    return sessions.stream().anyMatch(ControllerSession::isOpen);
  }

  /** One controller with an open session (the one open longest), if any; see {@link #connectedControllers}. */
  public Optional<String> connectedTo() {
    return oldestOpen().map(ControllerSession::controller);
  }

  /** The controllers with an open session, in the order of {@link #controllers()}. */
  public List<String> connectedControllers() {
    return openSessions().stream().map(ControllerSession::controller).toList();
  }

  /**
   * Sends a metering batch on the session open longest; completes when that controller has stored
   * it durably, fails if the session ends first. Resending a batch id is safe, on any session: the
   * cloud stores a batch id once (the sample table is on the shared grid) and acks again.
   */
  public Future<Void> sendSampleBatch(String batchId, JsonNode samples) {
    return sendOnOldest(AgentMessages.SAMPLE_BATCH, batchId, samples);
  }

  /**
   * Sends host samples on the session open longest; completes when that controller has stored them,
   * fails if the session ends first. A resend, on any session, stores nothing twice.
   */
  public Future<Void> sendHostSamples(String batchId, JsonNode samples) {
    return sendOnOldest(AgentMessages.HOST_SAMPLES, batchId, samples);
  }

  /** A {@code {batchId, samples}} message of {@code type} on the session open longest, completed by its ack. */
  private Future<Void> sendOnOldest(String type, String batchId, JsonNode samples) {
    Optional<ControllerSession> session = oldestOpen();
    if (session.isEmpty()) {
      return Future.failedFuture("no session with a controller");
    }
    ObjectNode message = AgentJson.envelope(type).put("batchId", batchId).set("samples", samples);
    return session.get().sendBatch(batchId, message.toString());
  }

  public Future<Void> close() {
    closed = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    if (renewalTimer >= 0) {
      vertx.cancelTimer(renewalTimer);
    }
    List<Future<Void>> closing = sessions.stream().map(ControllerSession::close).toList();
    return Future.join(closing).<Void>mapEmpty().otherwiseEmpty()
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
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

  // ---- the sessions ----

  private List<ControllerSession> openSessions() {
    return sessions.stream().filter(ControllerSession::isOpen).toList();
  }

  private Optional<ControllerSession> oldestOpen() {
    return sessions.stream().filter(ControllerSession::isOpen).min(Comparator.comparingLong(ControllerSession::openTicket));
  }

  private void onOpen(ControllerSession session) {
    // A controller learns the node's state at once rather than an interval later.
    heartbeat(List.of(session));
    // An agent that was stopped past its renewal point renews as soon as it can.
    renewCertificateIfDue();
    sessionListeners.forEach(Runnable::run);
  }

  /**
   * Sends a heartbeat now instead of at the next interval: after what it reports changed (the
   * hypervisor came up), so the controller does not schedule on stale capacity.
   */
  public void heartbeatNow() {
    vertx.runOnContext(v -> heartbeat(openSessions()));
  }

  /** Takes the inventory once (it may block) and sends the same heartbeat to each of {@code targets}. */
  private void heartbeat(List<ControllerSession> targets) {
    if (targets.isEmpty() || closed) {
      return;
    }
    vertx.executeBlocking(() -> {
          ObjectNode message = AgentJson.envelope(AgentMessages.HEARTBEAT);
          message.set("capacity", json.valueToTree(capacity.get()));
          message.set("load", json.valueToTree(load.get()));
          message.set("domains", json.valueToTree(domains.get()));
          return message.toString();
        }, false)
        .onSuccess(text -> targets.forEach(target -> target.send(text)))
        .onFailure(e -> LOG.warn("node {}: could not take the heartbeat's inventory: {}", credentials.nodeId(), e.toString()));
  }

  private void onMessage(ControllerSession session, String text) {
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
      case AgentMessages.COMMAND -> command(session, message.path("command"));
      case AgentMessages.SAMPLE_BATCH_ACK, AgentMessages.HOST_SAMPLES_ACK -> session.batchAcked(message.path("batchId").asText(""));
      case AgentMessages.CONTROLLERS -> {
        learnControllers(message.path("controllers"));
        // Told only when the set or a controller's start changed: one that has just come back is
        // reached now, not when this agent's backoff towards it runs out (up to half a minute).
        sessions.forEach(ControllerSession::retryPromptly);
      }
      case AgentMessages.RENEWED -> renewer.answered(message);
      default -> LOG.warn("the controller sent a message of unknown type '{}'; ignored", type);
    }
  }

  private ControllerSession newSession(String url) {
    return new ControllerSession(vertx, client, url, credentials.nodeId(), sessionListener, jitter, openTickets::incrementAndGet);
  }

  /**
   * A controller told the cloud's current controllers: open a session with each one this agent
   * lacks, and remember them for the next start. Runs on the agent's event loop, so sessions are
   * only ever added here and in {@link #start}. Only https URLs count; controllers are never
   * dropped (a controller that is down now comes back on the same address).
   */
  private void learnControllers(JsonNode urls) {
    List<String> added = new ArrayList<>();
    for (JsonNode url : urls) {
      String text = url.asText("");
      if (isControllerUrl(text) && !controllers.contains(text) && !added.contains(text)
          && controllers.size() + added.size() < CloudLimits.CONTROLLERS_MAX) {
        added.add(text);
      }
    }
    if (added.isEmpty() || closed) {
      return;
    }
    List<String> all = new ArrayList<>(controllers);
    all.addAll(added);
    controllers = List.copyOf(all);
    List<ControllerSession> more = added.stream().map(this::newSession).toList();
    List<ControllerSession> merged = new ArrayList<>(sessions);
    merged.addAll(more);
    sessions = List.copyOf(merged);
    more.forEach(ControllerSession::start);
    LOG.info("node {}: learned controllers {}; sessions with {}", credentials.nodeId(), added, controllers);
    AgentCredentials updated = credentials.withControllers(controllers);
    credentials = updated;
    vertx.executeBlocking(() -> {
      updated.save(settings.dataDir());
      return null;
    }, true).onFailure(e -> LOG.warn("node {}: could not record the controllers in {}: {}", updated.nodeId(), settings.dataDir(), e.toString()));
  }

  /** An https URL with a host: what a controller's agent port can be; anything else is ignored. */
  static boolean isControllerUrl(String url) {
    if (url == null || url.length() > 2_048 || !url.startsWith("https://")) {
      return false;
    }
    try {
      return java.net.URI.create(url).getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Runs a command and answers it on the session it came from (another controller did not ask). */
  private void command(ControllerSession session, JsonNode node) {
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
          if (!session.isOpen()) {
            LOG.warn("command {} answered while no session with {} is open; the controller will time out and retry",
                command.id(), session.controller());
            return;
          }
          session.send(AgentJson.envelope(AgentMessages.ACK).<ObjectNode>set("ack", json.valueToTree(ack)).toString());
        });
  }


  /** For tests and the launcher: the controllers this agent keeps a session with. */
  public List<String> controllers() {
    return new ArrayList<>(controllers);
  }
}
