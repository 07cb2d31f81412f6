package dev.canopy.cloud.gridtunnel;

import dev.canopy.cloud.lease.net.LeaseTestPki;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Two controllers' tunnel ends in one JVM, over loopback: controller 1's gateway (on 127.0.0.1,
 * an ephemeral port) in front of an {@link EchoMember}, and controller 2's forwarder standing for
 * controller 1 on 127.77.0.1, where controller 2's member (127.77.0.2) dials it.
 */
final class TunnelFixture implements AutoCloseable {

  /** Small, so that a stream of a few MiB fills every queue and exercises backpressure. */
  static final TunnelLimits LIMITS = new TunnelLimits(2, 64 * 1024, 30_000, 2_000, 5_000);

  final LeaseTestPki pki = new LeaseTestPki();
  final Vertx vertx = Vertx.vertx();
  final EchoMember member;
  final GridGateway gateway;
  final int gatewayPort;
  final GridForwarder forwarder;
  final int forwarderPort;
  private final List<NetClient> clients = new CopyOnWriteArrayList<>();

  TunnelFixture() throws Exception {
    member = EchoMember.start(vertx);
    gateway = new GridGateway(vertx, sockets(1), Set.of(2), SocketAddress.inetSocketAddress(member.port(), "127.0.0.1"),
        MemberAliases::of);
    gatewayPort = join(gateway.listen("127.0.0.1", 0));
    forwarder = new GridForwarder(vertx, sockets(2), 1, MemberAliases.of(2),
        SocketAddress.inetSocketAddress(gatewayPort, "127.0.0.1"), "127.0.0.1");
    forwarderPort = join(forwarder.listen(MemberAliases.of(1), 0));
  }

  /** Controller {@code id}'s view of the tunnel: its certificate, this fixture's CA. */
  TunnelSockets sockets(int id) {
    return new TunnelSockets(pki.controller(id), pki.caCertificate(), InstantSource.system(), LIMITS);
  }

  /** Dials controller 2's forwarder as controller 2's member does, from {@code from}. */
  Future<NetSocket> dialForwarder(String from) {
    return client(new NetClientOptions().setLocalAddress(from)).connect(forwarderPort, MemberAliases.of(1));
  }

  /**
   * A client kept until {@link #close}: Vert.x closes a client, and its connections, once nothing
   * references it any more.
   */
  NetClient client(NetClientOptions options) {
    NetClient client = vertx.createNetClient(options);
    clients.add(client);
    return client;
  }

  /** A connection with what it received and whether it has closed. */
  record Watched(NetSocket socket, Buffer received, CompletableFuture<Void> closed) {}

  /**
   * Watches the connection {@code dial} opens from its first moment. The dial starts on an event
   * loop and the handlers are set in the same turn of that loop as the connection completes, so a
   * close that comes at once (a refusal) is not missed; set from the test's thread after the
   * connect completed, they could come after the close on a loaded machine and never fire.
   */
  Watched watch(Supplier<Future<NetSocket>> dial) throws Exception {
    Promise<Watched> opened = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> dial.get().map(socket -> {
      Watched watched = new Watched(socket, Buffer.buffer(), new CompletableFuture<>());
      socket.handler(watched.received()::appendBuffer);
      socket.closeHandler(closed -> watched.closed().complete(null));
      return watched;
    }).onComplete(opened));
    return join(opened.future());
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    clients.forEach(NetClient::close);
    join(Future.join(forwarder.close(), gateway.close(), member.close()));
    join(vertx.close());
  }
}
