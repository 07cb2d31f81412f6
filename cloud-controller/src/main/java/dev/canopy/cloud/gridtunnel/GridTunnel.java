package dev.canopy.cloud.gridtunnel;

import dev.canopy.cloud.ca.TlsCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's part of the grid tunnel: its gateway, and a forwarder for each controller of
 * another host ({@link TunnelPlan}). It runs on a Vert.x of its own, because it must outlive the
 * controller's endpoints: the grid member leaves the cluster through it after they have stopped.
 * Start it before the grid member, close it after.
 */
public final class GridTunnel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GridTunnel.class);
  /** Relaying is copying between sockets: two event loops carry a controller's grid traffic. */
  private static final int EVENT_LOOPS = 2;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final GridGateway gateway;
  private final TunnelSockets sockets;
  private final Predicate<String> isLocal;
  /** The controller set the tunnel serves now; replaced by {@link #follow}. */
  private volatile TunnelSettings settings;
  private final Map<Integer, GridForwarder> forwarders = new java.util.concurrent.ConcurrentSkipListMap<>();

  private GridTunnel(Vertx vertx, GridGateway gateway, TunnelSockets sockets, TunnelSettings settings, Predicate<String> isLocal) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.sockets = sockets;
    this.settings = settings;
    this.isLocal = isLocal;
  }

  /**
   * Starts the gateway on this controller's address and the forwarders this host needs, all at
   * {@code settings.port()}.
   *
   * @param credentials this controller's key and certificate ({@code canopy:controller:<selfId>})
   * @param ca the cloud's CA certificate
   * @param certificateClock the time certificates are checked at
   */
  public static Future<GridTunnel> start(TunnelSettings settings, TlsCredentials credentials, X509Certificate ca,
      InstantSource certificateClock) {
    return start(settings, credentials, ca, certificateClock, LocalAddresses::isLocal);
  }

  static Future<GridTunnel> start(TunnelSettings settings, TlsCredentials credentials, X509Certificate ca,
      InstantSource certificateClock, Predicate<String> isLocal) {
    TunnelPlan plan = TunnelPlan.of(settings, isLocal);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    TunnelSockets sockets = new TunnelSockets(credentials, ca, certificateClock, settings.limits());
    int self = settings.selfId();
    int port = settings.port();
    GridGateway gateway = new GridGateway(vertx, sockets, peersOf(settings), SocketAddress.inetSocketAddress(port, MemberAliases.of(self)),
        MemberAliases::of);
    GridTunnel tunnel = new GridTunnel(vertx, gateway, sockets, settings, isLocal);
    List<Future<Integer>> listening = new ArrayList<>();
    listening.add(gateway.listen(settings.selfAddress(), port));
    for (int peer : plan.forwarded()) {
      listening.add(tunnel.startForwarder(peer, settings.controllers().get(peer)));
    }
    return Future.all(listening).<GridTunnel>map(all -> tunnel).recover(failure -> {
      tunnel.close();
      return Future.failedFuture(failure);
    });
  }

  /**
   * The controller set changed to {@code controllers} (every controller's address by id, this one
   * included): the gateway lets in exactly the others, a joining controller of another host gets a
   * forwarder on its alias here, and a departed one's forwarder closes.
   *
   * @throws IllegalArgumentException when the new set mixes controllers on this host with others
   *     elsewhere ({@link TunnelPlan}): nothing is changed then
   */
  public synchronized Future<Void> follow(SortedMap<Integer, String> controllers) {
    TunnelSettings next = new TunnelSettings(settings.selfId(), controllers, settings.port(), settings.limits());
    TunnelPlan plan = TunnelPlan.of(next, isLocal);
    gateway.admitOnly(peersOf(next));
    List<Future<?>> changes = new ArrayList<>();
    for (int gone : List.copyOf(forwarders.keySet())) {
      if (!plan.forwarded().contains(gone)) {
        changes.add(forwarders.remove(gone).close());
      }
    }
    for (int peer : plan.forwarded()) {
      if (!forwarders.containsKey(peer)) {
        changes.add(startForwarder(peer, controllers.get(peer)));
      }
    }
    settings = next;
    return Future.join(changes).mapEmpty();
  }

  private Future<Integer> startForwarder(int peer, String peerAddress) {
    int port = settings.port();
    GridForwarder forwarder = new GridForwarder(vertx, sockets, peer, MemberAliases.of(settings.selfId()),
        SocketAddress.inetSocketAddress(port, peerAddress), settings.selfAddress());
    forwarders.put(peer, forwarder);
    return forwarder.listen(MemberAliases.of(peer), port);
  }

  private static Set<Integer> peersOf(TunnelSettings settings) {
    Set<Integer> peers = new TreeSet<>(settings.controllers().keySet());
    peers.remove(settings.selfId());
    return peers;
  }

  /** Stops listening and closes every relay; the grid member should have left first. */
  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(gateway.close());
    forwarders.values().forEach(forwarder -> closing.add(forwarder.close()));
    try {
      Future.join(closing).eventually(vertx::close).toCompletionStage().toCompletableFuture()
          .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the grid tunnel did not close cleanly: {}", e.toString());
    }
  }
}
