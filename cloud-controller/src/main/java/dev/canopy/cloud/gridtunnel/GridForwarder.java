package dev.canopy.cloud.gridtunnel;

import dev.canopy.core.time.SystemTime;
import dev.canopy.cloud.lease.net.PeerLogLimiter;
import dev.canopy.core.tls.PeerRefusedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for one controller of another host on this host: it listens on that controller's alias
 * at the grid port, where the local member dials it, and relays each connection to that
 * controller's gateway over mutual TLS with this controller's certificate. Only the local member's
 * own alias may connect (it dials from there), and the gateway must prove it is the controller this
 * forwarder stands for.
 */
public final class GridForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(GridForwarder.class);

  private final Vertx vertx;
  private final TunnelSockets sockets;
  private final int peerId;
  private final String localMember;
  private final SocketAddress gateway;
  private final NetClient client;
  private final PeerSlots slots;
  private final PeerLogLimiter logLimiter = new PeerLogLimiter(SystemTime.INSTANCE::nanoTime, PeerLogLimiter.DEFAULT_INTERVAL_NANOS);
  private final LongAdder refused = new LongAdder();
  private NetServer server;

  /**
   * @param peerId the controller this forwarder stands for
   * @param localMember the local member's alias, the only address allowed to connect
   * @param gateway the peer's gateway
   * @param dialFrom the local address of the TLS dial (this controller's own)
   */
  GridForwarder(Vertx vertx, TunnelSockets sockets, int peerId, String localMember, SocketAddress gateway, String dialFrom) {
    this.vertx = vertx;
    this.sockets = sockets;
    this.peerId = peerId;
    this.localMember = localMember;
    this.gateway = gateway;
    this.client = vertx.createNetClient(sockets.tlsClient(dialFrom));
    this.slots = new PeerSlots(sockets.limits().connectionsPerPeerMax());
  }

  /** Listens on {@code host:port} (0 for an ephemeral port); the future holds the bound port. */
  Future<Integer> listen(String host, int port) {
    server = vertx.createNetServer(sockets.loopbackServer()).connectHandler(this::accept);
    return server.listen(port, host).map(bound -> {
      LOG.info("grid forwarder for controller {} listening on {}:{}, relaying to {}", peerId, host, bound.actualPort(), gateway);
      return bound.actualPort();
    });
  }

  /** Connections refused: from another address than the local member's, or too many. */
  long refusedConnections() {
    return refused.sum();
  }

  Future<Void> close() {
    return Future.join(server == null ? Future.succeededFuture() : server.close(), client.close()).mapEmpty();
  }

  private void accept(NetSocket socket) {
    socket.pause();
    String from = socket.remoteAddress().host();
    String refusal = null;
    if (!localMember.equals(from)) {
      refusal = "only the local member (" + localMember + ") may use it";
    } else if (!slots.tryAcquire(peerId)) {
      refusal = sockets.limits().connectionsPerPeerMax() + " connections are already open";
    }
    if (refusal != null) {
      refused.increment();
      long held = logLimiter.admit("accept/" + from);
      if (held >= 0) {
        LOG.warn("grid forwarder for controller {} refused {}: {} ({} more held back)", peerId, socket.remoteAddress(), refusal,
            held);
      }
      socket.close();
      return;
    }
    Relay.start(socket, this::dialGateway, sockets.limits().relayBufferBytes(), () -> slots.release(peerId));
  }

  /** The peer's gateway, once its certificate has shown it is the controller this forwarder stands for. */
  private Future<NetSocket> dialGateway() {
    return client.connect(gateway).compose(socket -> {
      try {
        int certified = sockets.peerIdOf(socket);
        if (certified != peerId) {
          throw new PeerRefusedException("the gateway at " + gateway + " is controller " + certified + ", not " + peerId);
        }
        return Future.succeededFuture(socket);
      } catch (PeerRefusedException e) {
        LOG.warn("grid forwarder for controller {}: {}", peerId, e.getMessage());
        socket.close();
        return Future.failedFuture(e);
      }
    });
  }
}
