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
import java.util.TreeMap;
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
  private final List<GridForwarder> forwarders;

  private GridTunnel(Vertx vertx, GridGateway gateway, List<GridForwarder> forwarders) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.forwarders = forwarders;
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
    Set<Integer> peers = new TreeSet<>(settings.controllers().keySet());
    peers.remove(self);
    GridGateway gateway = new GridGateway(vertx, sockets, peers, SocketAddress.inetSocketAddress(port, MemberAliases.of(self)),
        MemberAliases::of);
    Map<Integer, GridForwarder> forwarders = new TreeMap<>();
    for (int peer : plan.forwarded()) {
      SocketAddress peerGateway = SocketAddress.inetSocketAddress(port, settings.controllers().get(peer));
      forwarders.put(peer, new GridForwarder(vertx, sockets, peer, MemberAliases.of(self), peerGateway, settings.selfAddress()));
    }
    GridTunnel tunnel = new GridTunnel(vertx, gateway, List.copyOf(forwarders.values()));
    List<Future<Integer>> listening = new ArrayList<>();
    listening.add(gateway.listen(settings.selfAddress(), port));
    forwarders.forEach((peer, forwarder) -> listening.add(forwarder.listen(MemberAliases.of(peer), port)));
    return Future.all(listening).<GridTunnel>map(all -> tunnel).recover(failure -> {
      tunnel.close();
      return Future.failedFuture(failure);
    });
  }

  /** Stops listening and closes every relay; the grid member should have left first. */
  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(gateway.close());
    forwarders.forEach(forwarder -> closing.add(forwarder.close()));
    try {
      Future.join(closing).eventually(vertx::close).toCompletionStage().toCompletableFuture()
          .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the grid tunnel did not close cleanly: {}", e.toString());
    }
  }
}
