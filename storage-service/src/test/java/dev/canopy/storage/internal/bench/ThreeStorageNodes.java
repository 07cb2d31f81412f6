package dev.canopy.storage.internal.bench;

import dev.canopy.core.time.SystemTime;
import dev.canopy.core.tls.KeytoolPki;
import dev.canopy.storage.kv.PeerTransport;
import dev.canopy.storage.kv.backend.RocksBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.peer.PeerServer;
import dev.canopy.storage.kv.peer.PeerTls;
import dev.canopy.storage.kv.peer.VertxPeerTransport;
import dev.canopy.storage.kv.ring.Ring;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three storage nodes in one JVM as a storage role runs them: {@link KvNode}s over RocksDB in temp
 * folders (synced writes), talking through real peer servers and transports (HTTPS with mutual
 * TLS, certificates of a keytool CA) on loopback. Counts the peer calls made, for messages per write.
 */
final class ThreeStorageNodes implements AutoCloseable {

  static final List<String> NAMES = List.of("st-1", "st-2", "st-3");

  final Map<String, KvNode> nodes = new LinkedHashMap<>();
  final AtomicLong peerCalls = new AtomicLong();
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final List<PeerServer> servers = new ArrayList<>();
  private final List<VertxPeerTransport> transports = new ArrayList<>();
  private final List<RocksBackend> backends = new ArrayList<>();

  ThreeStorageNodes() throws Exception {
    KeytoolPki pki = new KeytoolPki(Files.createTempDirectory("bench-pki"));
    Map<String, PeerTls> tls = new LinkedHashMap<>();
    for (String name : NAMES) {
      tls.put(name, new PeerTls(pki.issue("storage", name).keys(), pki.ca, InstantSource.system()));
    }
    Map<String, URI> addresses = new LinkedHashMap<>();
    for (String name : NAMES) {
      // The node is made after every address is known; the server finds it by name.
      PeerTransport.Handler handler = (from, request) -> nodes.get(name).handle(from, request);
      PeerServer server = new PeerServer(vertx, tls.get(name), Set.of(PeerTls.STORAGE_ROLE), handler, workers);
      servers.add(server);
      int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
      addresses.put(name, URI.create("https://127.0.0.1:" + port));
    }
    Ring ring = Ring.create(NAMES, 64, 3);
    for (String name : NAMES) {
      VertxPeerTransport transport = new VertxPeerTransport(vertx, tls.get(name), addresses, workers);
      transports.add(transport);
      RocksBackend backend = RocksBackend.open(Files.createTempDirectory("bench-" + name));
      backends.add(backend);
      PeerTransport counted = (peer, request) -> {
        peerCalls.incrementAndGet();
        return transport.call(peer, request);
      };
      nodes.put(name, new KvNode(name, ring, backend, counted, SystemTime.INSTANCE, new SplittableRandom(name.hashCode())));
    }
  }

  KvNode first() {
    return nodes.get(NAMES.get(0));
  }

  @Override
  public void close() {
    transports.forEach(t -> t.close().toCompletionStage().toCompletableFuture().join());
    servers.forEach(s -> s.close().toCompletionStage().toCompletableFuture().join());
    vertx.close().toCompletionStage().toCompletableFuture().join();
    workers.shutdownNow();
    backends.forEach(RocksBackend::close);
  }
}
