package dev.canopy.cloud.storeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.CountingStore;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import dev.canopy.storage.s3.BucketRecord;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller's {@link RemoteSystemStore} against a real storage endpoint (InternalKvServer over
 * RocksDB) with certificates from the real CA, and the grid written through to it.
 */
class RemoteSystemStoreTest {

  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50));
  private static final Time CLOCK = SystemTime.INSTANCE;

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final CertificateAuthority ca =
      CertificateAuthority.loadOrCreate(new InMemoryTable<>(), new SecretBox(MasterKey.generate(random), random), "test", CLOCK, random);
  private final TlsCredentials storage = StoragePeers.storageCredentials(ca, "st-1", Duration.ofDays(1), random);
  private final TlsCredentials controller = ca.controllerCredentials("ctl-1", List.of("127.0.0.1"), Duration.ofDays(1));
  private Vertx vertx;
  private LocalStore local;
  private InternalKvServer server;
  private int port;

  @BeforeEach
  void startStorage() {
    vertx = Vertx.vertx();
    startServer(0);
  }

  @AfterEach
  void stopStorage() {
    stopServer();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private void startServer(int wanted) {
    local = LocalStore.open(dir.resolve("storage"));
    server = new InternalKvServer(vertx, local, StoragePeers.serverTls(storage, CLOCK));
    port = server.listen("127.0.0.1", wanted).toCompletionStage().toCompletableFuture().join();
  }

  private void stopServer() {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
      local.close();
      server = null;
    }
  }

  private RemoteSystemStore remote(RetryPolicy retry) {
    return RemoteSystemStore.connect(URI.create("https://127.0.0.1:" + port), controller, CLOCK, retry);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static BucketRecord bucket(String name) {
    return new BucketRecord(name, "123456789012", Instant.parse("2026-11-26T07:00:00Z"), "canopy-1");
  }

  /**
   * A storage node from before the batch-read route (mid-upgrade) answers it 405, as it answers any
   * POST to a namespace: the client reads those keys one at a time instead, and keeps doing so.
   */
  @Test
  void aStorageNodeWithoutBatchReadsIsReadAKeyAtATime() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    io.vertx.core.http.HttpServer older = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSsl(true)
            .setKeyCertOptions(io.vertx.core.net.KeyCertOptions.wrap(storage.keyManagers())))
        .requestHandler(request -> {
          asked.add(request.method() + " " + request.uri());
          String key = request.path().substring(request.path().lastIndexOf('/') + 1);
          if (request.method() == io.vertx.core.http.HttpMethod.POST) {
            request.response().setStatusCode(405).end("a namespace only lists (GET)");
          } else if (key.startsWith("present")) {
            request.response().end("value of " + key);
          } else {
            request.response().setStatusCode(404).putHeader(InternalKvServer.RESULT_HEADER, InternalKvServer.RESULT_MISSING).end();
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RemoteSystemStore store = RemoteSystemStore.connect(URI.create("https://127.0.0.1:" + older.actualPort()), controller, CLOCK, FAST);

    assertThat(store.getAll("ledgers", List.of("present-1", "absent", "present-2")))
        .containsOnlyKeys("present-1", "present-2")
        .hasEntrySatisfying("present-2", v -> assertThat(v).isEqualTo(utf8("value of present-2")));
    assertThat(store.getAll("ledgers", List.of("present-3"))).containsOnlyKeys("present-3");

    assertThat(asked.stream().filter(r -> r.startsWith("POST"))).as("one refused batch read, then none").hasSize(1);
    assertThat(asked.stream().filter(r -> r.startsWith("GET"))).hasSize(4);
    older.close();
  }

  @Test
  void putGetDeleteAndLoadAllRoundTrip() {
    RemoteSystemStore store = remote(FAST);
    store.put("instances", "i-1", utf8("one"));
    store.put("instances", "a/b c", utf8("two"));
    store.put("instances", "empty", new byte[0]);
    assertThat(local.get("instances", "a/b c")).as("acknowledged = on the storage disk").isPresent();

    assertThat(store.get("instances", "i-1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("one")));
    assertThat(store.get("instances", "nope")).isEmpty();
    assertThat(store.loadAll("instances")).containsOnlyKeys("i-1", "a/b c", "empty");
    assertThat(store.loadAll("nothing-here")).isEmpty();

    store.delete("instances", "i-1");
    assertThat(store.get("instances", "i-1")).isEmpty();
    assertThat(store.loadAll("instances")).containsOnlyKeys("a/b c", "empty");

    assertThatThrownBy(() -> store.put("instances", "big", new byte[InternalKvServer.VALUE_BYTES_MAX + 1]))
        .isInstanceOf(StoreException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.put("instances", "", utf8("x"))).isInstanceOf(StoreException.class);
  }

  @Test
  void aBatchLargerThanOneRequestIsWrittenInSeveralAndARecordTheApiCannotCarryWritesNothing() {
    RemoteSystemStore store = remote(FAST);
    List<SystemStore.Write> writes = new java.util.ArrayList<>();
    // 20 MiB: more than one request's body.
    for (int i = 0; i < 20; i++) {
      byte[] value = new byte[InternalKvServer.VALUE_BYTES_MAX - 64];
      value[0] = (byte) i;
      writes.add(new SystemStore.Write("metering-days", "i-" + i + "/2026-12-06", value));
    }
    writes.add(new SystemStore.Write("metering-ledgers", "acme/2026-12", utf8("ledger")));
    store.putAll(writes);
    assertThat(local.loadAll("metering-days")).hasSize(20);
    assertThat(local.get("metering-days", "i-19/2026-12-06")).hasValueSatisfying(v -> assertThat(v[0]).isEqualTo((byte) 19));
    assertThat(store.get("metering-ledgers", "acme/2026-12")).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("ledger")));

    assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("metering-days", "fine", utf8("x")),
        new SystemStore.Write("metering-days", "big", new byte[InternalKvServer.VALUE_BYTES_MAX + 1]))))
        .isInstanceOf(StoreException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("metering-days", "fine", utf8("x")),
        new SystemStore.Write("metering-days", "", utf8("x"))))).isInstanceOf(StoreException.class);
    assertThat(local.get("metering-days", "fine")).isEmpty();
  }

  /** A second endpoint on the same storage disk whose reads are counted; closed with the test's Vert.x. */
  private RemoteSystemStore countedEndpoint(CountingStore counted) {
    InternalKvServer countedServer = new InternalKvServer(vertx, counted, StoragePeers.serverTls(storage, CLOCK));
    int countedPort = countedServer.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    return RemoteSystemStore.connect(URI.create("https://127.0.0.1:" + countedPort), controller, CLOCK, FAST);
  }

  @Test
  void getAllReadsInRequestsOfAThousandKeysAndLeavesAbsentKeysOut() {
    List<SystemStore.Write> ledgers = new java.util.ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ledgers.add(new SystemStore.Write("metering-ledgers", "acct-" + i + "/2026-11", utf8("ledger " + i)));
    }
    local.putAll(ledgers);
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      keys.add("acct-" + i + "/2026-11");
    }
    keys.add("acct-7/2026-11");
    CountingStore counted = new CountingStore(local);
    RemoteSystemStore store = countedEndpoint(counted);

    java.util.Map<String, byte[]> found = store.getAll("metering-ledgers", keys);

    assertThat(found).hasSize(2_000).containsKey("acct-1999/2026-11").doesNotContainKey("acct-2000/2026-11");
    assertThat(found.get("acct-7/2026-11")).isEqualTo(utf8("ledger 7"));
    assertThat(counted.batchReads).as("2,500 distinct keys: three requests").hasValue(3);
    assertThat(counted.singleReads).as("no read per key").hasValue(0);
    assertThat(store.getAll("metering-ledgers", List.of())).isEmpty();
    assertThat(counted.batchReads).as("nothing asked, nothing sent").hasValue(3);
  }

  @Test
  void getAllAsksForFewerKeysWhenTheRecordsAreTooLargeForOneAnswerAndRefusesABadKeyBeforeSending() {
    List<SystemStore.Write> days = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] value = new byte[InternalKvServer.VALUE_BYTES_MAX - 64];
      value[0] = (byte) i;
      days.add(new SystemStore.Write("metering-days", "i-" + i + "/2026-12-06", value));
    }
    local.putAll(days);
    List<String> keys = new java.util.ArrayList<>(days.stream().map(SystemStore.Write::key).toList());
    keys.add("absent");
    CountingStore counted = new CountingStore(local);
    RemoteSystemStore store = countedEndpoint(counted);

    java.util.Map<String, byte[]> found = store.getAll("metering-days", keys);

    assertThat(found).hasSize(20);
    assertThat(found.get("i-19/2026-12-06")[0]).isEqualTo((byte) 19);
    // 20 MiB pass one answer's 16: refused once, then 10, 10 and 1 keys at a time.
    assertThat(counted.batchReads).hasValue(4);
    assertThat(store.getAll("metering-days", keys)).hasSize(20);
    assertThat(counted.batchReads).as("the next call starts at 10 keys: no refused request").hasValue(4 + 3);

    assertThatThrownBy(() -> store.getAll("metering-days", List.of("fine", ""))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.getAll("metering-days", List.of("fine", "nul\0key"))).isInstanceOf(StoreException.class);
    assertThat(counted.batchReads).as("refused before anything was sent").hasValue(4 + 3);
  }

  @Test
  void aControllerTrustsOnlyAStorageServerOfItsCa() {
    stopServer();
    local = LocalStore.open(dir.resolve("impostor"));
    // A server presenting a controller certificate of the right CA is still not the storage role.
    var wrongRole = new InternalKvServer.Tls(controller.keyManagers(), ca.certificate(), java.util.Set.of("controller"), CLOCK);
    server = new InternalKvServer(vertx, local, wrongRole);
    port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    assertThatThrownBy(() -> remote(FAST).put("instances", "i-1", utf8("one")))
        .isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
    assertThat(local.get("instances", "i-1")).isEmpty();
  }

  /**
   * A TLS handshake that does not finish within the connect timeout (a server that accepts and
   * stays silent; or a storage node starved of CPU) carried no request: it is retried like a
   * refused connection, and reported as one.
   */
  @Test
  void aTlsHandshakeThatOutlastsTheConnectTimeoutIsRetriedAsAConnectionFailureNotAnUnknownOutcome() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger accepted = new AtomicInteger();
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
            accepted.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.start();
      RemoteSystemStore store = new RemoteSystemStore(new StorageEndpoint(URI.create("https://127.0.0.1:" + silent.getLocalPort()),
          StoragePeers.clientContext(controller, CLOCK), FAST, CLOCK, Duration.ofMillis(300)));

      assertThatThrownBy(() -> store.put("instances", "i-1", utf8("one")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("unreachable after 3 tries").hasMessageContaining("connect timed out")
          .hasMessageNotContaining("outcome is unknown");
      assertThat(accepted.get()).as("one connection per try").isEqualTo(3);
      silent.close();
      acceptor.join(5_000);
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void theGridWritesThroughAndASecondGridLoadsItBackAfterAFullRestart() {
    try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, remote(FAST))) {
      assertThat(new GridBucketRegistry(grid).create(bucket("photos"))).isTrue();
    }
    assertThat(local.loadAll("buckets")).containsKey("photos");
    try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, remote(FAST))) {
      GridBucketRegistry buckets = new GridBucketRegistry(grid);
      assertThat(buckets.find("photos")).contains(bucket("photos"));
      buckets.delete("photos");
    }
    assertThat(local.loadAll("buckets")).isEmpty();
  }

  @Test
  void aGridWriteFailsWhileStorageIsDownAndRetriesRideOutARestart() throws Exception {
    RemoteSystemStore slowRetries = remote(new RetryPolicy(40, Duration.ofMillis(50), Duration.ofMillis(100)));
    try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, remote(FAST))) {
      GridBucketRegistry buckets = new GridBucketRegistry(grid);
      stopServer();
      assertThatThrownBy(() -> buckets.create(bucket("lost"))).hasMessageContaining("unreachable");
      // A miss reads through to the store too, so it also fails while storage is down.
      assertThatThrownBy(() -> buckets.find("lost")).isInstanceOf(StoreException.class);

      startServer(port);
      assertThat(buckets.find("lost")).as("nothing half-written is visible").isEmpty();
      assertThat(buckets.create(bucket("lost"))).isTrue();
      assertThat(local.get("buckets", "lost")).isPresent();
    }
    // A write issued while storage is down completes once it is back, within the retry budget.
    stopServer();
    CompletableFuture<Void> pending = CompletableFuture.runAsync(() -> slowRetries.put("buckets", "late", utf8("{}")));
    // Still retrying, not failed and not done, for a while: storage is down.
    org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !pending.isDone());
    startServer(port);
    pending.get(10, TimeUnit.SECONDS);
    assertThat(local.get("buckets", "late")).isPresent();
  }

  @Test
  void acknowledgedWritesSurviveARestartOfTheStorageProcess() {
    RemoteSystemStore store = remote(FAST);
    store.put("accounts", "123456789012", utf8("{\"name\":\"acme\"}"));
    store.delete("accounts", "gone");
    stopServer();
    startServer(port);
    // The same client: its pooled connection died with the old server, so this also retries.
    assertThat(store.get("accounts", "123456789012")).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("{\"name\":\"acme\"}")));
    assertThat(store.loadAll("accounts")).containsOnlyKeys("123456789012");
  }
}
