package dev.canopy.cloud.lease.net;

import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.lease.Effects;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease port (8776): mutual TLS in both directions, certificates of role {@code controller}
 * from this cloud's CA only. Each controller dials every peer and sends on that connection
 * ({@link PeerLink}); it receives on the connections the peers dialled. Every connection carries
 * frames ({@link Frames}) both ways: lease messages, and empty keepalives that let a read-idle
 * timeout find a dead peer in seconds. A received message passes the {@link MessageGate} (strict
 * codec, claimed sender = certified sender) before the lease sees it.
 */
public final class LeaseTransport implements LeaseChannel {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseTransport.class);

  private final Vertx vertx;
  /** Replaced (never changed) when the controller set changes; read from any thread. */
  private volatile TransportSettings settings;
  private volatile LeaseCodec codec;
  private final TlsCredentials credentials;
  private final X509Certificate ca;
  private final InstantSource certificateClock;
  private final Function<Integer, Optional<PeerAddress>> peerAddresses;
  private final TransportStats.Counters counters = new TransportStats.Counters();
  private final PeerLogLimiter logLimiter = new PeerLogLimiter(SystemTime.INSTANCE::nanoTime, PeerLogLimiter.DEFAULT_INTERVAL_NANOS);
  /** Filled in the constructor, changed only by {@link #reconfigure}: safe to read from any thread. */
  private final Map<Integer, PeerLink> links = new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile Consumer<LeaseMessage> deliver;
  private final Map<Integer, NetSocket> inbound = new ConcurrentHashMap<>();

  private final NetClient client;
  /** Caps inbound connections; its idle timeout backs up the keepalive's read-idle timeout. */
  private final ConnectionGuard guard;
  private volatile MessageGate gate;
  private NetServer server;
  private long keepaliveTimer = -1;
  private volatile int boundPort = -1;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * @param configHash {@link dev.canopy.cloud.lease.LeaseConfig#configHash()}; frames carrying another are dropped
   * @param credentials this controller's key and certificate, naming {@code canopy:controller:<selfId>}
   * @param ca the cloud's CA certificate: the only issuer trusted on either end
   * @param certificateClock the time certificates are checked at
   * @param peerAddresses where each peer listens, consulted at every dial (so it may be filled in
   *     after the peers have bound ephemeral ports)
   */
  public LeaseTransport(Vertx vertx, TransportSettings settings, long configHash, TlsCredentials credentials,
      X509Certificate ca, InstantSource certificateClock, Function<Integer, Optional<PeerAddress>> peerAddresses) {
    this.vertx = vertx;
    this.settings = settings;
    this.codec = new LeaseCodec(configHash);
    this.credentials = credentials;
    this.ca = ca;
    this.certificateClock = certificateClock;
    this.peerAddresses = peerAddresses;
    this.client = vertx.createNetClient(clientOptions());
    this.guard = ConnectionGuard.of(vertx, ConnectionLimits.DEFAULTS, "lease");
    for (int peerId : settings.peerIds()) {
      links.put(peerId, link(peerId, settings));
    }
  }

  private PeerLink link(int peerId, TransportSettings with) {
    return new PeerLink(peerId, vertx, client, with, peerAddresses, ca, certificateClock, counters,
        logLimiter, SystemTime.INSTANCE::nanoTime, this::wire);
  }

  /**
   * Switches to another controller set (docs/paxoslease.md, "Changing the controller set"):
   * frames carry and must carry {@code next}'s hash from now on, new peers are dialled (their
   * addresses from the same lookup as the others'), and removed peers' connections close.
   */
  @Override
  public void reconfigure(dev.canopy.cloud.lease.LeaseConfig next) {
    TransportSettings before = settings;
    TransportSettings after = before.withPeers(next);
    codec = new LeaseCodec(next.configHash());
    settings = after;
    if (deliver != null) {
      gate = new MessageGate(codec, counters, logLimiter, deliver);
    }
    for (int gone : before.peerIds()) {
      if (!after.peerIds().contains(gone)) {
        PeerLink link = links.remove(gone);
        if (link != null) {
          link.close();
        }
        NetSocket socket = inbound.remove(gone);
        if (socket != null) {
          socket.close();
        }
      }
    }
    for (int added : after.peerIds()) {
      if (!before.peerIds().contains(added)) {
        PeerLink link = link(added, after);
        links.put(added, link);
        if (started && !closed) {
          link.start();
        }
      }
    }
  }

  /** For a fixed map of peers, as a controller's configuration gives them. */
  public static Function<Integer, Optional<PeerAddress>> addresses(Map<Integer, PeerAddress> peers) {
    Map<Integer, PeerAddress> copy = Map.copyOf(peers);
    return id -> Optional.ofNullable(copy.get(id));
  }

  @Override
  public Future<Void> start(Consumer<LeaseMessage> deliver) {
    if (started) {
      throw new IllegalStateException("the lease transport starts once");
    }
    started = true;
    this.deliver = deliver;
    gate = new MessageGate(codec, counters, logLimiter, deliver);
    server = vertx.createNetServer(serverOptions()).connectHandler(this::accept).exceptionHandler(this::onServerError);
    return server.listen(settings.listenPort(), settings.listenHost()).map(bound -> {
      boundPort = bound.actualPort();
      LOG.info("lease port listening on {}:{} as controller {}", settings.listenHost(), boundPort, settings.selfId());
      links.values().forEach(PeerLink::start);
      keepaliveTimer = vertx.setPeriodic(settings.keepaliveIntervalMs(), id -> keepalive());
      return null;
    });
  }

  /** The port the lease server is bound to, or -1 before {@link #start} has completed. */
  public int boundPort() {
    return boundPort;
  }

  @Override
  public void send(int toNodeId, LeaseMessage message) {
    if (closed || !started) {
      return;
    }
    Buffer frame = Frames.encode(codec.encode(message));
    if (toNodeId == Effects.Send.ALL_OTHERS) {
      links.values().forEach(link -> link.send(frame));
      return;
    }
    PeerLink link = links.get(toNodeId);
    if (link == null) {
      // The core answers only configured controllers; anything else is a bug upstream.
      throw new IllegalStateException("controller " + toNodeId + " is not a peer of controller " + settings.selfId());
    }
    link.send(frame);
  }

  @Override
  public Set<Integer> reachablePeers() {
    Set<Integer> reachable = new TreeSet<>();
    links.forEach((id, link) -> {
      if (link.connected() && inbound.containsKey(id)) {
        reachable.add(id);
      }
    });
    return reachable;
  }

  @Override
  public long configMismatches() {
    return counters.configMismatches.sum();
  }

  public TransportStats stats() {
    return counters.snapshot();
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (keepaliveTimer >= 0) {
      vertx.cancelTimer(keepaliveTimer);
    }
    links.values().forEach(PeerLink::close);
    inbound.values().forEach(NetSocket::close);
    guard.close();
    List<Future<Void>> closing = new ArrayList<>();
    if (server != null) {
      closing.add(server.close());
    }
    closing.add(client.close());
    return Future.join(closing).mapEmpty();
  }

  private NetServerOptions serverOptions() {
    // The guard first: the lease's own handshake and read-idle timeouts below are the tighter ones.
    NetServerOptions options = guard.configure(new NetServerOptions())
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(credentials.keyManagers()))
        .setTrustOptions(TrustOptions.wrap(
            PeerCertificates.trustManager(ca, certificateClock, Set.of(PeerRole.CONTROLLER), "lease port")))
        .setClientAuth(ClientAuth.REQUIRED)
        .setTcpNoDelay(true)
        .setSslHandshakeTimeout(settings.handshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout((int) settings.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return options;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private NetClientOptions clientOptions() {
    NetClientOptions options = new NetClientOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(credentials.keyManagers()))
        .setTrustOptions(TrustOptions.wrap(
            PeerCertificates.trustManager(ca, certificateClock, Set.of(PeerRole.CONTROLLER), "lease link")))
        // A controller is named by the id in its certificate, not by the address it was dialled on.
        .setHostnameVerificationAlgorithm("")
        .setTcpNoDelay(true)
        // Dial from the lease address, so one controller's traffic is recognisable (and can be
        // cut off in tests) even when several share a host.
        .setLocalAddress(isWildcard(settings.listenHost()) ? null : settings.listenHost())
        .setConnectTimeout((int) settings.connectTimeoutMs())
        .setSslHandshakeTimeout(settings.handshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout((int) settings.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return options;
  }

  private void accept(NetSocket socket) {
    Optional<Runnable> admitted = guard.admit(socket.remoteAddress());
    if (closed || admitted.isEmpty()) {
      admitted.ifPresent(Runnable::run);
      socket.close();
      return;
    }
    Runnable release = admitted.get();
    int peerId;
    try {
      peerId = PeerIds.verifiedNodeId(socket, ca, certificateClock);
      if (!settings.peerIds().contains(peerId)) {
        throw new PeerRefusedException("controller " + peerId + " is not configured in this lease group");
      }
    } catch (PeerRefusedException e) {
      counters.refusedConnections.increment();
      long held = logLimiter.admit("accept/" + socket.remoteAddress().host());
      if (held >= 0) {
        LOG.warn("lease port refused {}: {} ({} more held back)", socket.remoteAddress(), e.getMessage(), held);
      }
      release.run();
      socket.close();
      return;
    }
    NetSocket previous = inbound.put(peerId, socket);
    if (previous != null) {
      // The peer dialled again: its previous connection is dead or dying on its side.
      previous.close();
    }
    wire(socket, peerId, () -> {
      release.run();
      inbound.remove(peerId, socket);
    });
  }

  private void wire(NetSocket socket, int peerId, Runnable onClosed) {
    socket.setWriteQueueMaxSize(settings.writeQueueMaxBytes());
    socket.handler(Frames.reader(frame -> gate.onFrame(peerId, frame), length -> {
      counters.oversizeFrames.increment();
      long held = logLimiter.admit(peerId + "/oversize");
      if (held >= 0) {
        LOG.warn("controller {} announced a lease frame of {} bytes (limit {}); connection closed ({} more held back)",
            peerId, length, Frames.FRAME_BYTES_MAX, held);
      }
      socket.close();
    }));
    socket.exceptionHandler(e -> LOG.debug("lease connection with controller {}: {}", peerId, e.toString()));
    socket.closeHandler(v -> onClosed.run());
  }

  private void onServerError(Throwable error) {
    counters.handshakeFailures.increment();
    long held = logLimiter.admit("server-error");
    if (held >= 0) {
      LOG.warn("lease port: connection failed before it was accepted: {} ({} more held back)", error.toString(), held);
    }
  }

  private void keepalive() {
    links.values().forEach(PeerLink::keepalive);
    for (NetSocket socket : inbound.values()) {
      if (!socket.writeQueueFull()) {
        socket.write(Frames.keepalive());
      }
    }
  }
}
