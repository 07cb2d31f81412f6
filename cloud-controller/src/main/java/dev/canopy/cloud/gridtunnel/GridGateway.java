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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's end of the tunnel, on its own address at the grid port: mutual TLS, and only
 * controllers of this cloud's CA that are configured peers get through. Each connection is relayed
 * to the local member, dialled from the peer's alias ({@code sourceOf}), so the member's allowlist
 * and Hazelcast's view agree on who is speaking. A stranger gets a TLS handshake and nothing else:
 * not one byte reaches the member before the peer has proved its certificate.
 */
public final class GridGateway {

  private static final Logger LOG = LoggerFactory.getLogger(GridGateway.class);

  private final Vertx vertx;
  private final TunnelSockets sockets;
  private final SocketAddress member;
  private final PeerSlots slots;
  /**
   * One client per peer: a client dials from one local address, and each peer has its own alias.
   * Its keys are the peers let in; {@link #admitOnly} changes them while connections are accepted.
   */
  private final Map<Integer, NetClient> clients = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final IntFunction<String> sourceOf;
  private final PeerLogLimiter logLimiter = new PeerLogLimiter(SystemTime.INSTANCE::nanoTime, PeerLogLimiter.DEFAULT_INTERVAL_NANOS);
  private final LongAdder refused = new LongAdder();
  private final LongAdder handshakeFailures = new LongAdder();
  private NetServer server;

  /**
   * @param peerIds the controllers allowed in (not this one)
   * @param member where the local grid member listens
   * @param sourceOf the address a peer's relayed connections come from, by peer id
   */
  GridGateway(Vertx vertx, TunnelSockets sockets, Set<Integer> peerIds, SocketAddress member, IntFunction<String> sourceOf) {
    this.vertx = vertx;
    this.sockets = sockets;
    this.member = member;
    this.slots = new PeerSlots(sockets.limits().connectionsPerPeerMax());
    this.sourceOf = sourceOf;
    admitOnly(peerIds);
  }

  /**
   * The controller set changed: from now on only {@code peerIds} get through. A peer no longer
   * listed is refused at its next connection (relays already open end when its member leaves).
   */
  synchronized void admitOnly(Set<Integer> peerIds) {
    for (int peerId : peerIds) {
      clients.computeIfAbsent(peerId, id -> vertx.createNetClient(sockets.loopbackClient(sourceOf.apply(id))));
    }
    for (int gone : List.copyOf(clients.keySet())) {
      if (!peerIds.contains(gone)) {
        clients.remove(gone).close();
      }
    }
  }

  /** Listens on {@code host:port} (0 for an ephemeral port); the future holds the bound port. */
  Future<Integer> listen(String host, int port) {
    server = vertx.createNetServer(sockets.tlsServer()).connectHandler(this::accept).exceptionHandler(this::onHandshakeFailure);
    return server.listen(port, host).map(bound -> {
      LOG.info("grid gateway listening on {}:{} for controllers {}, relaying to {}", host, bound.actualPort(), clients.keySet(),
          member);
      return bound.actualPort();
    });
  }

  /** Connections that completed the handshake but were refused: an unconfigured id, or too many. */
  long refusedConnections() {
    return refused.sum();
  }

  /** Connections that never completed the handshake: no certificate, another CA's, another role's. */
  long handshakeFailures() {
    return handshakeFailures.sum();
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    if (server != null) {
      closing.add(server.close());
    }
    clients.values().forEach(client -> closing.add(client.close()));
    return Future.join(closing).mapEmpty();
  }

  private void accept(NetSocket socket) {
    socket.pause();
    int peerId;
    try {
      peerId = sockets.peerIdOf(socket);
      if (!clients.containsKey(peerId)) {
        throw new PeerRefusedException("controller " + peerId + " is not a peer of this grid");
      }
      if (!slots.tryAcquire(peerId)) {
        throw new PeerRefusedException("controller " + peerId + " already has " + sockets.limits().connectionsPerPeerMax()
            + " grid connections open");
      }
    } catch (PeerRefusedException e) {
      refused.increment();
      long held = logLimiter.admit("accept/" + socket.remoteAddress().host());
      if (held >= 0) {
        LOG.warn("grid gateway refused {}: {} ({} more held back)", socket.remoteAddress(), e.getMessage(), held);
      }
      socket.close();
      return;
    }
    NetClient client = clients.get(peerId);
    if (client == null) {
      // Left the set between the check above and now.
      slots.release(peerId);
      socket.close();
      return;
    }
    Relay.start(socket, () -> client.connect(member), sockets.limits().relayBufferBytes(), () -> slots.release(peerId));
  }

  private void onHandshakeFailure(Throwable error) {
    handshakeFailures.increment();
    long held = logLimiter.admit("handshake");
    if (held >= 0) {
      LOG.warn("grid gateway: a connection failed before it was accepted: {} ({} more held back)", error.toString(), held);
    }
  }
}
