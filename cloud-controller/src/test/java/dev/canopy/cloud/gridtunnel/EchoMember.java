package dev.canopy.cloud.gridtunnel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for a grid member behind a gateway: echoes every byte back (so one stream tests both
 * directions of a relay), and records who connected and how many connections have closed.
 */
final class EchoMember {

  final List<String> remoteHosts = new CopyOnWriteArrayList<>();
  final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  final AtomicInteger closed = new AtomicInteger();
  private final NetServer server;

  private EchoMember(NetServer server) {
    this.server = server;
  }

  static EchoMember start(Vertx vertx) throws Exception {
    NetServer server = vertx.createNetServer();
    EchoMember member = new EchoMember(server);
    server.connectHandler(socket -> {
      member.remoteHosts.add(socket.remoteAddress().host());
      member.sockets.add(socket);
      socket.closeHandler(v -> member.closed.incrementAndGet());
      // By hand: a Vert.x pipe from a socket to itself stalls.
      socket.handler(data -> {
        socket.write(data);
        if (socket.writeQueueFull()) {
          socket.pause();
          socket.drainHandler(v -> socket.resume());
        }
      });
    });
    TunnelFixture.join(server.listen(0, "127.0.0.1"));
    return member;
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
