package dev.canopy.cloud.agents;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.SharedPortServers;
import dev.canopy.api.log.LogText;
import dev.canopy.cloud.scheduler.NodeCommands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.grid.Table;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatch;
import dev.canopy.cloud.hostmetrics.HostMetricsStore;
import dev.canopy.cloud.latency.LatencyRecorder;
import dev.canopy.node.protocol.HostSample;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.EnrollRequest;
import dev.canopy.node.protocol.EnrollResponse;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent port (8775): HTTPS with the controller's CA-issued certificate.
 * {@code POST /v1/enroll} needs no client certificate (the one-time token authenticates it);
 * {@code /v1/agent} upgrades to a WebSocket only for a client certificate of role {@code node}
 * issued by this cloud's CA, and binds the session to the node id it names. Every refusal is
 * one WARN line saying who and why. See docs/agent-protocol.md.
 */
public final class AgentServer {

  private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
  private static final int ENROLL_BODY_BYTES_MAX = 64 * 1024;
  private static final int DOMAINS_PER_HEARTBEAT_MAX = 10_000;
  private static final int HOST_SAMPLES_PER_BATCH_MAX = 100;
  /**
   * Sample batches being stored or waiting for a worker, at most. Past it a batch is left
   * unacknowledged, unstored: its agent keeps it and sends it again after its ack timeout (30 s).
   * Queued without a bound, an overloaded controller acknowledged batches only after their agents
   * had sent them again, and spent its time on resends (the metering scale run's collapse).
   */
  public static final int SAMPLE_BATCHES_IN_PROGRESS_MAX = 64;
  private static final long DEFERRED_WARNING_EVERY_MS = 10_000;

  private final Vertx vertx;
  private final CertificateAuthority ca;
  private final TlsCredentials serverCredentials;
  private final EnrollmentTokens tokens;
  private final NodeRegistry registry;
  private final MeteringService metering;
  private final Supplier<List<String>> controllers;
  private final InstantSource clock;
  private final SecureRandom random;
  private final ObjectMapper json = AgentJson.MAPPER;
  private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private final NodeCommands commands = this::send;
  private final NodeCertificates nodeCertificates;

  private SharedPortServers servers;
  private HostMetricsStore hostMetrics;
  private LatencyRecorder latency;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private ConnectionGuard guard;
  private long sweepTimer = -1;
  private volatile String ownUrl;
  private final java.util.concurrent.atomic.AtomicInteger batchesInProgress = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong batchesDeferred = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong deferredWarnedAtMs = new java.util.concurrent.atomic.AtomicLong();
  private volatile int batchesInProgressMax = SAMPLE_BATCHES_IN_PROGRESS_MAX;
  private java.util.function.LongSupplier controllerStarts = () -> 0;

  /** With a fixed list of controllers. */
  public AgentServer(Vertx vertx, CertificateAuthority ca, TlsCredentials serverCredentials, EnrollmentTokens tokens,
      NodeRegistry registry, MeteringService metering, List<String> controllers, InstantSource clock, SecureRandom random) {
    this(vertx, ca, serverCredentials, tokens, registry, metering, fixed(controllers), clock, random);
  }

  /**
   * @param metering where sample batches go; a batch is acknowledged only once it stored it
   * @param controllers agent-port URLs of every controller, returned at enrollment and told to each
   *     agent on its heartbeats when they changed, so agents learn controllers added later; empty
   *     means just this server (its URL is known once it listens). Called on the event loop: a
   *     cached value, never a grid read.
   */
  public AgentServer(
      Vertx vertx,
      CertificateAuthority ca,
      TlsCredentials serverCredentials,
      EnrollmentTokens tokens,
      NodeRegistry registry,
      MeteringService metering,
      Supplier<List<String>> controllers,
      InstantSource clock,
      SecureRandom random) {
    this.vertx = vertx;
    this.ca = ca;
    this.serverCredentials = serverCredentials;
    this.tokens = tokens;
    this.registry = registry;
    this.metering = metering;
    this.controllers = controllers;
    this.clock = clock;
    this.random = random;
    this.nodeCertificates = new NodeCertificates(ca, clock);
  }

  /**
   * Time until the soonest expiry among the certificates of the nodes connected here: a metric,
   * so that a node that fails to renew shows long before its certificate stops working.
   */
  public Optional<Duration> soonestNodeCertificateExpiry() {
    return nodeCertificates.soonestExpiry();
  }

  /** Caps and timeouts of the agent port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #listen}. */
  public AgentServer withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  /**
   * A number that changes whenever a controller starts again (called on the event loop: a cached
   * value). Agents are then told the controllers again, even when the list is the same, and retry
   * at once a session with a controller they were backing off from: a restarted controller gets its
   * sessions back within a heartbeat or two, not after up to half a minute of the agents' backoff,
   * which matters most when it takes the lease. Without it, agents are told only of a new list.
   */
  public AgentServer withControllerStarts(java.util.function.LongSupplier starts) {
    this.controllerStarts = starts;
    return this;
  }

  /** Stores the agents' host samples there (without it they are refused, unacked). Call before {@link #listen}. */
  public AgentServer withHostMetrics(HostMetricsStore store) {
    this.hostMetrics = store;
    return this;
  }

  /** Measures heartbeat round trips (a ping per heartbeat) and command latency there. Call before {@link #listen}. */
  public AgentServer withLatency(LatencyRecorder recorder) {
    this.latency = recorder;
    return this;
  }

  /** Sets how many sample batches may be in progress at once (tests; default {@link #SAMPLE_BATCHES_IN_PROGRESS_MAX}). */
  public AgentServer withSampleBatchesInProgressMax(int max) {
    this.batchesInProgressMax = max;
    return this;
  }

  /** Sample batches left unacknowledged because too many were in progress, since start. */
  public long sampleBatchesDeferred() {
    return batchesDeferred.get();
  }

  /**
   * Listens and starts the availability sweep; completes with the bound port. The port is served
   * from several event loops: with thousands of agents, TLS handshakes and frames on one loop
   * capped the port at one core (the metering scale run's 20,000 hosts).
   */
  public Future<Integer> listen(String host, int port) {
    guard = ConnectionGuard.of(vertx, connectionLimits, "agent");
    // One trust manager for all the port's servers, so they share its memo of verified signatures.
    TrustOptions nodesOfThisCa = TrustOptions.wrap(PeerCertificates.trustManager(ca.certificate(), clock, Set.of(PeerRole.NODE), "agent port"));
    return SharedPortServers.listen(vertx, SharedPortServers.EVENT_LOOPS_DEFAULT, host, port,
            () -> guard.install(vertx.createHttpServer(guard.configure(serverOptions(nodesOfThisCa))), this::route))
        .map(bound -> {
          servers = bound;
          ownUrl = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.port();
          long intervalMs = Math.max(100, registry.heartbeatInterval().toMillis());
          sweepTimer = vertx.setPeriodic(intervalMs, id -> sweep());
          return bound.port();
        });
  }

  private HttpServerOptions serverOptions(TrustOptions nodesOfThisCa) {
    return new HttpServerOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(serverCredentials.keyManagers()))
        // Only node certificates of this CA pass the handshake; enrollment comes without one.
        .setTrustOptions(nodesOfThisCa)
        .setClientAuth(ClientAuth.REQUEST)
        .setMaxWebSocketMessageSize(AgentMessages.MESSAGE_BYTES_MAX);
  }

  /** What the scheduler calls to reach a node. */
  public NodeCommands commands() {
    return commands;
  }

  public boolean hasSession(String nodeId) {
    return sessions.containsKey(nodeId);
  }

  /** The agent-port URLs enrollment hands out. */
  public List<String> controllers() {
    List<String> all = controllers.get();
    return all.isEmpty() && ownUrl != null ? List.of(ownUrl) : all;
  }

  private static Supplier<List<String>> fixed(List<String> controllers) {
    List<String> copy = List.copyOf(controllers);
    return () -> copy;
  }

  public Future<Void> close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    sessions.values().forEach(s -> s.failAll("the controller is stopping"));
    if (guard != null) {
      guard.close();
    }
    return servers == null ? Future.succeededFuture() : servers.close();
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (path.equals(AgentMessages.ENROLL_PATH) && request.method() == HttpMethod.POST) {
      enroll(request);
    } else if (path.equals(AgentMessages.SESSION_PATH)) {
      session(request);
    } else {
      reply(request, 404, Map.of("code", "NotFound", "message", "no such agent endpoint"));
    }
  }

  // ---- enrollment ----

  private void enroll(HttpServerRequest request) {
    String remote = String.valueOf(request.remoteAddress());
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > ENROLL_BODY_BYTES_MAX) {
        request.handler(null);
        reply(request, 413, Map.of("code", "TooLarge", "message", "an enrollment request is at most " + ENROLL_BODY_BYTES_MAX + " bytes"));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> {
      if (request.response().ended()) {
        return;
      }
      // Token burn, certificate signing and grid writes block: off the event loop.
      vertx.executeBlocking(() -> enrollBlocking(body.getBytes(), remote), false)
          .onSuccess(response -> reply(request, 200, response))
          .onFailure(failure -> {
            if (failure instanceof Refusal refusal) {
              reply(request, refusal.status, Map.of("code", refusal.code, "message", refusal.getMessage()));
            } else {
              // The mapping every API shares: an unavailable store or grid is 503, anything else 500.
              ServerFailures.log(LOG, "enrollment from " + remote, failure);
              AwsException answer = ServerFailures.toAwsError(failure);
              reply(request, answer.httpStatus(), Map.of("code", answer.code(), "message", answer.getMessage()));
            }
          });
    });
  }

  private EnrollResponse enrollBlocking(byte[] body, String remote) {
    EnrollRequest enroll;
    try {
      enroll = json.readValue(body, EnrollRequest.class);
    } catch (IOException e) {
      throw refuse(remote, 400, "InvalidRequest", "the body is not an enrollment request");
    }
    if (enroll == null || enroll.token() == null || enroll.hostname() == null || enroll.hostname().isBlank()
        || enroll.capacity() == null || enroll.zone() == null || enroll.zone().isBlank()) {
      throw refuse(remote, 400, "InvalidRequest", "token, csrPem, hostname, capacity and zone are required");
    }
    String nodeId = newNodeId();
    X509Certificate certificate;
    try {
      // Before the token burns, so a bad request does not waste it; the certificate is
      // discarded if the token is refused.
      certificate = ca.issue(enroll.csrPem(), PeerRole.NODE, nodeId, CertificateAuthority.NODE_VALIDITY);
    } catch (CertificateAuthority.CsrException e) {
      throw refuse(remote, 400, "InvalidCsr", e.getMessage());
    }
    EnrollmentTokens.Redemption redemption = tokens.redeem(enroll.token());
    String tokenName = redemption.tokenId().map(id -> "token " + id).orElse("a malformed token");
    switch (redemption.outcome()) {
      case ACCEPTED -> { }
      case MALFORMED -> throw refuse(remote, 403, "InvalidToken", "the enrollment token is not a canopy1 token");
      case UNKNOWN -> throw refuse(remote, 403, "InvalidToken", tokenName + " is not known to this cloud");
      case EXPIRED -> throw refuse(remote, 403, "TokenExpired", tokenName + " has expired");
      case REUSED -> throw refuse(remote, 403, "TokenAlreadyUsed", tokenName + " was already used; tokens work once");
    }
    registry.enroll(nodeId, enroll.hostname(), enroll.zone(), enroll.capacity());
    LOG.info("enrolled node {} (host {}, zone {}, {}) from {} with token {}",
        nodeId, LogText.escape(enroll.hostname()), LogText.escape(enroll.zone()), enroll.capacity(), remote,
        redemption.tokenId().orElseThrow());
    return new EnrollResponse(nodeId, PeerCertificates.toPem(certificate), ca.certificatePem(), controllers());
  }

  private String newNodeId() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return "nd-" + HexFormat.of().formatHex(bytes);
  }

  private static Refusal refuse(String remote, int status, String code, String message) {
    LOG.warn("enrollment refused from {}: {} ({})", remote, message, code);
    return new Refusal(status, code, message);
  }

  // ---- sessions ----

  private void session(HttpServerRequest request) {
    String remote = String.valueOf(request.remoteAddress());
    List<Certificate> presented;
    try {
      presented = request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      presented = List.of();
    }
    if (presented == null || presented.isEmpty()) {
      LOG.warn("agent session refused from {}: no client certificate", remote);
      reply(request, 401, Map.of("code", "ClientCertificateRequired", "message", "the agent session needs the node's certificate"));
      return;
    }
    PeerIdentity peer;
    try {
      // The handshake already checked this; checked again so the session never rests on
      // how the TLS layer was configured.
      peer = ca.verifyPeer(presented.toArray(X509Certificate[]::new), Set.of(PeerRole.NODE));
    } catch (PeerRefusedException e) {
      LOG.warn("agent session refused from {}: {}", remote, e.getMessage());
      reply(request, 403, Map.of("code", "CertificateRefused", "message", e.getMessage()));
      return;
    }
    if (!request.canUpgradeToWebSocket()) {
      reply(request, 400, Map.of("code", "WebSocketRequired", "message", "the agent session is a WebSocket"));
      return;
    }
    X509Certificate leaf = (X509Certificate) presented.get(0);
    request.toWebSocket().onSuccess(socket -> open(peer.id(), leaf, socket, remote))
        .onFailure(failure -> LOG.warn("agent session of node {} from {} failed to upgrade: {}", peer.id(), remote, failure.toString()));
  }

  private void open(String nodeId, X509Certificate certificate, ServerWebSocket socket, String remote) {
    AgentSession session = new AgentSession(nodeId, socket);
    socket.pause();
    if (latency != null) {
      socket.pongHandler(data -> session.pong(data, latency));
    }
    vertx.executeBlocking(() -> registry.get(nodeId).isPresent(), false).onComplete(known -> {
      if (known.failed() || !known.result()) {
        LOG.warn("agent session refused from {}: node {} is not enrolled in this cloud", remote, nodeId);
        socket.close((short) 1008, "node not enrolled");
        return;
      }
      if (socket.isClosed()) {
        // The agent gave up while the registry was read (its handshake timed out under load): no
        // session to register, and its handlers could no longer be set. It dials again.
        LOG.info("node {} from {} closed its session before it was opened", nodeId, remote);
        return;
      }
      AgentSession previous = sessions.put(nodeId, session);
      nodeCertificates.presented(nodeId, certificate);
      if (previous != null) {
        LOG.info("node {} reconnected from {}; closing its previous session", nodeId, remote);
        previous.failAll("node " + nodeId + " opened a new session");
        previous.socket().close((short) 1000, "replaced by a new session");
      }
      socket.textMessageHandler(text -> onMessage(session, text));
      socket.closeHandler(v -> {
        if (sessions.remove(nodeId, session)) {
          nodeCertificates.closed(nodeId);
          LOG.info("node {} session from {} closed", nodeId, remote);
        }
        session.failAll("the session of node " + nodeId + " closed");
      });
      socket.exceptionHandler(e -> LOG.warn("node {} session error: {}", nodeId, e.toString()));
      socket.resume();
      LOG.info("node {} connected from {}", nodeId, remote);
    });
  }

  private void onMessage(AgentSession session, String text) {
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (IOException e) {
      LOG.warn("node {} sent a message that is not JSON; ignored", session.nodeId());
      return;
    }
    int version = message.path("v").asInt(-1);
    String type = message.path("type").asText("");
    if (version != AgentMessages.VERSION) {
      LOG.warn("node {} sent a message of protocol version {} (this controller speaks {}); ignored", session.nodeId(), version, AgentMessages.VERSION);
      return;
    }
    try {
      switch (type) {
        case AgentMessages.HEARTBEAT -> heartbeat(session, message);
        case AgentMessages.ACK -> ack(session, message);
        case AgentMessages.SAMPLE_BATCH -> sampleBatch(session, message);
        case AgentMessages.HOST_SAMPLES -> hostSamples(session, message);
        case AgentMessages.RENEW -> renew(session, message);
        default -> LOG.warn("node {} sent a message of unknown type '{}'; ignored", session.nodeId(), LogText.escape(type));
      }
    } catch (IllegalArgumentException | IOException e) {
      LOG.warn("node {} sent a malformed {} message; ignored: {}", session.nodeId(), type, e.getMessage());
    }
  }

  private void heartbeat(AgentSession session, JsonNode message) throws IOException {
    HostCapacity capacity = json.treeToValue(message.path("capacity"), HostCapacity.class);
    HostLoad load = message.hasNonNull("load") ? json.treeToValue(message.get("load"), HostLoad.class) : HostLoad.UNKNOWN;
    List<DomainReport> domains =
        message.hasNonNull("domains") ? json.readerFor(new TypeReference<List<DomainReport>>() {}).readValue(message.get("domains")) : List.of();
    if (capacity == null || domains.size() > DOMAINS_PER_HEARTBEAT_MAX) {
      throw new IllegalArgumentException("a heartbeat needs a capacity and at most " + DOMAINS_PER_HEARTBEAT_MAX + " domains");
    }
    vertx.executeBlocking(() -> registry.heartbeat(session.nodeId(), capacity, load, domains), true)
        .onFailure(e -> LOG.warn("heartbeat of node {} was not recorded: {}", session.nodeId(), e.toString()));
    session.tellControllers(controllers(), controllerStarts.getAsLong());
    if (latency != null) {
      session.ping(latency);
    }
  }

  private void ack(AgentSession session, JsonNode message) throws IOException {
    Ack ack = json.treeToValue(message.path("ack"), Ack.class);
    if (ack == null || !session.complete(ack)) {
      LOG.debug("node {} acked a command nobody waits for (late, or repeated)", session.nodeId());
    }
  }

  private void sampleBatch(AgentSession session, JsonNode message) {
    String batchId = message.path("batchId").asText("");
    SampleBatch batch = new SampleBatch(session.nodeId(), batchId, message.get("samples"));
    if (batchesInProgress.incrementAndGet() > batchesInProgressMax) {
      batchesInProgress.decrementAndGet();
      deferred(session, batchId);
      return;
    }
    // Acked only once stored: a batch the store refused stays in the agent's queue and comes again.
    vertx.executeBlocking(() -> metering.ingest(batch), false)
        .onComplete(done -> batchesInProgress.decrementAndGet())
        .onSuccess(stored -> session.socket().writeTextMessage(
            AgentJson.envelope(AgentMessages.SAMPLE_BATCH_ACK).put("batchId", batchId).toString()))
        .onFailure(e -> LOG.warn("sample batch {} of node {} was not stored (the agent will resend): {}", batchId, session.nodeId(), e.toString()));
  }

  /** Counts a batch left for its agent to send again, and says so at most every 10 s. */
  private void deferred(AgentSession session, String batchId) {
    long total = batchesDeferred.incrementAndGet();
    LOG.debug("sample batch {} of node {} deferred: {} batches in progress", batchId, session.nodeId(), batchesInProgressMax);
    long now = clock.millis();
    long warned = deferredWarnedAtMs.get();
    if (now - warned >= DEFERRED_WARNING_EVERY_MS && deferredWarnedAtMs.compareAndSet(warned, now)) {
      LOG.warn("sample batches arrive faster than they are stored: {} left unacknowledged since start, for their agents to send again "
          + "({} in progress at most)", total, batchesInProgressMax);
    }
  }

  private void hostSamples(AgentSession session, JsonNode message) throws IOException {
    String batchId = message.path("batchId").asText("");
    JsonNode samples = message.path("samples");
    if (batchId.isEmpty() || !samples.isArray() || samples.size() > HOST_SAMPLES_PER_BATCH_MAX) {
      throw new IllegalArgumentException("host samples need a batchId and at most " + HOST_SAMPLES_PER_BATCH_MAX + " samples");
    }
    if (hostMetrics == null) {
      return;
    }
    List<HostSample> parsed = json.readerFor(new TypeReference<List<HostSample>>() {}).readValue(samples);
    // Acked only once stored: samples the store refused stay in the agent's queue and come again.
    vertx.executeBlocking(() -> hostMetrics.ingest(session.nodeId(), parsed), false)
        .onSuccess(stored -> session.socket().writeTextMessage(
            AgentJson.envelope(AgentMessages.HOST_SAMPLES_ACK).put("batchId", batchId).toString()))
        .onFailure(e -> LOG.warn("host samples {} of node {} were not stored (the agent will resend): {}", batchId, session.nodeId(), e.toString()));
  }

  /** Issues the session's node a new certificate for its CSR (off the event loop: signing) and answers on the session. */
  private void renew(AgentSession session, JsonNode message) {
    String csrPem = message.path("csrPem").asText("");
    vertx.executeBlocking(() -> nodeCertificates.renew(session.nodeId(), csrPem), false)
        .map(pem -> AgentJson.envelope(AgentMessages.RENEWED).put("certificatePem", pem))
        .recover(failure -> {
          String code = failure instanceof NodeCertificates.RenewalRefused refused ? refused.code : "Unavailable";
          LOG.warn("renewal of node {}'s certificate refused: {} {}", session.nodeId(), code, failure.getMessage());
          return Future.succeededFuture(AgentJson.envelope(AgentMessages.RENEWED).put("code", code).put("message", failure.getMessage()));
        })
        .onSuccess(answer -> session.socket().writeTextMessage(answer.toString()));
  }

  private CompletionStage<Ack> send(String nodeId, Command command, Duration timeout) {
    AgentSession session = sessions.get(nodeId);
    if (session == null) {
      return CompletableFuture.failedFuture(new NodeCommands.NodeUnreachableException("node " + nodeId + " has no session with this controller"));
    }
    long sentNanos = latency == null ? 0 : latency.time().nanoTime();
    // Acks arrive on the event loop, and what waits for them writes the grid, whose store may be
    // a round trip away (or, in the cloud in a box, served by this very event loop): its
    // continuations run on a worker, never on the thread that completed the ack.
    return session.send(command, timeout).handleAsync((ack, failure) -> {
      if (failure == null && latency != null) {
        latency.command(nodeId, latency.time().nanoTime() - sentNanos);
      }
      if (failure != null) {
        throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
      }
      return ack;
    }, (Executor) this::onAWorker);
  }

  private void onAWorker(Runnable task) {
    vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }

  private void sweep() {
    vertx.executeBlocking(registry::sweep, false)
        .onSuccess(lost -> lost.forEach(node -> LOG.warn("node {} is unavailable: no heartbeat since {}", node.nodeId(), node.lastHeartbeat())))
        .onFailure(e -> LOG.warn("the node availability sweep failed: {}", e.toString()));
  }

  private void reply(HttpServerRequest request, int status, Object body) {
    if (request.response().ended()) {
      return;
    }
    try {
      request.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
          .end(Buffer.buffer(json.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new IllegalStateException("replies are plain records and maps", e);
    }
  }

  /** An expected refusal: status, code and a message safe to send back. */
  private static final class Refusal extends RuntimeException {
    final int status;
    final String code;

    Refusal(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

}
