package dev.canopy.storage.kv.peer;

import dev.canopy.core.tls.KeytoolPki;
import dev.canopy.storage.kv.PeerTransport;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** Peer servers and transports of one test, on one Vert.x, all closed by {@link #close}. */
final class PeerNodes implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  /** Runs handlers and completes callers' futures, as a storage node's worker pool would. */
  final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final PeerPki pki;
  private final List<PeerServer> servers = new ArrayList<>();
  private final List<VertxPeerTransport> transports = new ArrayList<>();

  PeerNodes(PeerPki pki) {
    this.pki = pki;
  }

  /** A peer port presenting {@code keys}, admitting storage clients; returns its base URL. */
  URI server(KeytoolPki.Issued keys, PeerTransport.Handler handler) {
    return server(keys, handler, workers);
  }

  URI server(KeytoolPki.Issued keys, PeerTransport.Handler handler, Executor dispatch) {
    return start(keys, handler, dispatch).base();
  }

  /** A listening peer server and where it listens. */
  record Started(PeerServer server, URI base) {}

  Started start(KeytoolPki.Issued keys, PeerTransport.Handler handler, Executor dispatch) {
    PeerServer server = new PeerServer(vertx, pki.tls(keys), Set.of(PeerTls.STORAGE_ROLE), handler, dispatch);
    servers.add(server);
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    return new Started(server, URI.create("https://127.0.0.1:" + port));
  }

  VertxPeerTransport transport(KeytoolPki.Issued keys, Map<String, URI> peers) {
    return transport(keys, peers, PeerLimits.CALL_TIMEOUT_DEFAULT);
  }

  VertxPeerTransport transport(KeytoolPki.Issued keys, Map<String, URI> peers, Duration timeout) {
    VertxPeerTransport transport = new VertxPeerTransport(vertx, pki.tls(keys), peers, timeout, workers);
    transports.add(transport);
    return transport;
  }

  @Override
  public void close() {
    transports.forEach(t -> t.close().toCompletionStage().toCompletableFuture().join());
    servers.forEach(s -> s.close().toCompletionStage().toCompletableFuture().join());
    vertx.close().toCompletionStage().toCompletableFuture().join();
    workers.shutdownNow();
  }
}
