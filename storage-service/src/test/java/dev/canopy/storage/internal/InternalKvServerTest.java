package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.tls.KeytoolPki;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server over a real RocksDB store, reached by the JDK's HTTP client over mutual TLS. */
class InternalKvServerTest {

  @TempDir static Path pkiDir;
  @TempDir Path dir;

  private static KeytoolPki pki;
  private static KeyManagerFactory storageKeys;
  private static KeyManagerFactory controllerKeys;
  private static Vertx vertx;

  private LocalStore store;
  private InternalKvServer server;
  private String base;
  private HttpClient controller;

  @BeforeAll
  static void certificates() throws Exception {
    pki = new KeytoolPki(pkiDir);
    storageKeys = pki.issue("storage", "st-1").keys();
    controllerKeys = pki.issue("controller", "ctl-1").keys();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @BeforeEach
  void start() throws Exception {
    store = LocalStore.open(dir.resolve("store"));
    server = new InternalKvServer(vertx, store, tls());
    base = "https://127.0.0.1:" + server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    controller = client(controllerKeys);
  }

  @AfterEach
  void stop() {
    server.close().toCompletionStage().toCompletableFuture().join();
    store.close();
  }

  private static InternalKvServer.Tls tls() {
    return new InternalKvServer.Tls(storageKeys, pki.ca, Set.of("controller"), InstantSource.system());
  }

  private static HttpClient client(KeyManagerFactory keys) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(pki.clientContext(keys, "storage"))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private HttpResponse<byte[]> send(HttpClient client, String method, String path, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    request.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    return client.send(request.build(), BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
    return send(controller, method, path, body);
  }

  /** Sends a request line the JDK's URI would refuse to build; returns the whole response. */
  private String raw(String method, String rawPath) throws Exception {
    URI uri = URI.create(base);
    try (var socket = pki.clientContext(controllerKeys, "storage").getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      String request = method + " " + rawPath + " HTTP/1.1\r\nHost: storage\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putGetListDeleteRoundTripThroughTheDurableStore() throws Exception {
    String odd = "a/b c+ü?#%";
    assertThat(send("PUT", KvPaths.recordPath("instances", "i-1"), utf8("{\"state\":\"pending\"}")).statusCode()).isEqualTo(204);
    assertThat(send("PUT", KvPaths.recordPath("instances", odd), utf8("odd")).statusCode()).isEqualTo(204);
    assertThat(send("PUT", KvPaths.recordPath("buckets", "photos"), new byte[0]).statusCode()).isEqualTo(204);
    // 204 means the synced write returned: the store already holds it.
    assertThat(store.get("instances", odd)).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("odd")));

    HttpResponse<byte[]> got = send("GET", KvPaths.recordPath("instances", "i-1"), null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"pending\"}");

    HttpResponse<byte[]> listing = send("GET", KvPaths.namespacePath("instances"), null);
    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(listing.headers().firstValue("Content-Type")).contains(KvRecords.CONTENT_TYPE);
    Map<String, byte[]> all = KvRecords.decode(listing.body());
    assertThat(all).containsOnlyKeys("i-1", odd);
    assertThat(KvRecords.decode(send("GET", KvPaths.namespacePath("buckets"), null).body()).get("photos")).isEmpty();

    assertThat(send("DELETE", KvPaths.recordPath("instances", "i-1"), null).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", KvPaths.recordPath("instances", "i-1"), null).statusCode()).as("idempotent").isEqualTo(204);
    HttpResponse<byte[]> missing = send("GET", KvPaths.recordPath("instances", "i-1"), null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue(InternalKvServer.RESULT_HEADER)).contains(InternalKvServer.RESULT_MISSING);
    assertThat(KvRecords.decode(send("GET", KvPaths.namespacePath("instances"), null).body())).containsOnlyKeys(odd);
    assertThat(KvRecords.decode(send("GET", KvPaths.namespacePath("empty"), null).body())).isEmpty();
  }

  @Test
  void overAFencedStoreADeposedControllersWriteIs409AndTheLeadersRecordStaysAndIsReadInBatches() throws Exception {
    EpochFencedStore fenced = new EpochFencedStore(store, "fencing-epoch", "epoch", Set.of("instances"));
    InternalKvServer fencedServer = new InternalKvServer(vertx, fenced, tls());
    base = "https://127.0.0.1:" + fencedServer.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    try {
      assertThat(send("PUT", KvPaths.recordPath("fencing-epoch", "epoch"), utf8("{\"epoch\":4}")).statusCode()).isEqualTo(204);
      assertThat(send("PUT", KvPaths.recordPath("instances", "i-1"), utf8("{\"epoch\":4,\"value\":\"leader\"}")).statusCode())
          .isEqualTo(204);

      HttpResponse<byte[]> deposed = send("PUT", KvPaths.recordPath("instances", "i-1"), utf8("{\"epoch\":3,\"value\":\"deposed\"}"));
      HttpResponse<byte[]> lowered = send("PUT", KvPaths.recordPath("fencing-epoch", "epoch"), utf8("{\"epoch\":3}"));
      HttpResponse<byte[]> unfenced = send("PUT", KvPaths.recordPath("instances", "i-2"), utf8("{\"value\":\"no epoch\"}"));

      assertThat(deposed.statusCode()).isEqualTo(409);
      assertThat(new String(deposed.body(), StandardCharsets.UTF_8)).contains("epoch 4 was minted").doesNotContain("Exception");
      assertThat(lowered.statusCode()).as("the minted epoch never goes down").isEqualTo(409);
      assertThat(unfenced.statusCode()).as("a fenced namespace takes only fenced records").isEqualTo(400);
      HttpResponse<byte[]> kept = send("GET", KvPaths.recordPath("instances", "i-1"), null);
      assertThat(new String(kept.body(), StandardCharsets.UTF_8)).contains("leader");
      assertThat(store.get("fencing-epoch", "epoch")).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("{\"epoch\":4}")));
      assertThat(store.get("instances", "i-2")).isEmpty();

      byte[] staleBatch = KvWrites.encode(List.of(new SystemStore.Write("instances", "i-3", utf8("{\"epoch\":4,\"value\":1}")),
          new SystemStore.Write("instances", "i-1", utf8("{\"epoch\":3,\"value\":\"deposed\"}")))).get(0);
      assertThat(send("POST", InternalKvServer.BATCH_PATH, staleBatch).statusCode()).isEqualTo(409);
      assertThat(store.get("instances", "i-3")).as("a refused batch writes nothing").isEmpty();

      // A batch read of a fenced namespace reads its records as single gets do: as stored, envelopes and all.
      Map<String, byte[]> found = KvRecords.decode(batchRead(controller, "instances", KvKeys.encode(List.of("i-1", "i-2", "i-3"))).body());
      assertThat(found).containsOnlyKeys("i-1");
      assertThat(found.get("i-1")).isEqualTo(send("GET", KvPaths.recordPath("instances", "i-1"), null).body());
    } finally {
      fencedServer.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void badNamesAreRefusedWith400AndUnknownEndpointsWith404Or405() throws Exception {
    String longKey = "k".repeat(KvPaths.KEY_BYTES_MAX + 1);
    for (String path : new String[] {"/v1/kv/ns/a%2", "/v1/kv/ns/%FF", "/v1/kv/ns/%zz", "/v1/kv//key", "/v1/kv/ns/a/b",
        "/v1/kv/ns/%00", "/v1/kv/n%01s/k", "/v1/kv/ns/" + longKey, "/v1/kv/ns/"}) {
      String response = raw("PUT", path);
      assertThat(response).as(path).startsWith("HTTP/1.1 400 ").doesNotContain("Exception").doesNotContain("at dev.");
    }
    HttpResponse<byte[]> unknown = send("GET", "/v2/kv/ns/k", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue(InternalKvServer.RESULT_HEADER)).as("not a missing record").isEmpty();
    assertThat(send("POST", "/v1/kv/ns/k", utf8("v")).statusCode()).isEqualTo(405);
    assertThat(send("PUT", "/v1/kv/ns", utf8("v")).statusCode()).isEqualTo(405);
    assertThat(store.loadAll("ns")).isEmpty();
  }

  @Test
  void aBatchIsWrittenWithOneRequestAndABadOneIsRefusedWholeWithoutAStackTrace() throws Exception {
    List<SystemStore.Write> writes = List.of(new SystemStore.Write("days", "i-1/2026-12-06", utf8("day")),
        new SystemStore.Write("ledgers", "acme/2026-12", utf8("ledger")), new SystemStore.Write("days", "a/b c+ü", new byte[0]));
    List<byte[]> bodies = KvWrites.encode(writes);
    assertThat(bodies).hasSize(1);
    assertThat(send("POST", InternalKvServer.BATCH_PATH, bodies.get(0)).statusCode()).isEqualTo(204);
    assertThat(store.loadAll("days")).containsOnlyKeys("i-1/2026-12-06", "a/b c+ü");
    assertThat(store.get("ledgers", "acme/2026-12")).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("ledger")));

    byte[] badName = KvWrites.encode(List.of(new SystemStore.Write("days", "fine", utf8("x")),
        new SystemStore.Write("days", "nul\0key", utf8("y")))).get(0);
    byte[] cutOff = java.util.Arrays.copyOf(bodies.get(0), bodies.get(0).length - 1);
    for (byte[] bad : List.of(badName, cutOff, utf8("not a batch"))) {
      HttpResponse<byte[]> refused = send("POST", InternalKvServer.BATCH_PATH, bad);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(new String(refused.body(), StandardCharsets.UTF_8)).doesNotContain("Exception");
    }
    assertThat(store.get("days", "fine")).isEmpty();
    assertThat(send("GET", InternalKvServer.BATCH_PATH, null).statusCode()).isEqualTo(405);
    assertThat(send("POST", InternalKvServer.BATCH_PATH, new byte[KvWrites.BATCH_BYTES_MAX + 1]).statusCode()).isEqualTo(413);
  }

  @Test
  void aValueOfMoreThanOneMebibyteIs413AndNothingIsStored() throws Exception {
    assertThat(send("PUT", "/v1/kv/ns/big", new byte[InternalKvServer.VALUE_BYTES_MAX + 1]).statusCode()).isEqualTo(413);
    assertThat(store.get("ns", "big")).isEmpty();
    assertThat(send("PUT", "/v1/kv/ns/big", new byte[InternalKvServer.VALUE_BYTES_MAX]).statusCode()).isEqualTo(204);
    assertThat(store.get("ns", "big")).hasValueSatisfying(v -> assertThat(v).hasSize(InternalKvServer.VALUE_BYTES_MAX));
  }

  @Test
  void aFailingStoreIs503AndABugIs500WithoutAStackTrace() throws Exception {
    SystemStore broken = new SystemStore() {
      @Override
      public void put(String namespace, String key, byte[] value) {
        throw new StoreException("simulated: no space left on device", null);
      }

      @Override
      public void delete(String namespace, String key) {
        throw new IllegalStateException("simulated bug");
      }

      @Override
      public Optional<byte[]> get(String namespace, String key) {
        return Optional.empty();
      }

      @Override
      public Map<String, byte[]> loadAll(String namespace) {
        return Map.of();
      }
    };
    InternalKvServer other = new InternalKvServer(vertx, broken, tls());
    base = "https://127.0.0.1:" + other.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    try {
      HttpResponse<byte[]> full = send("PUT", "/v1/kv/ns/k", utf8("v"));
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(new String(full.body(), StandardCharsets.UTF_8)).contains("no space left").doesNotContain("at dev.");
      HttpResponse<byte[]> bug = send("DELETE", "/v1/kv/ns/k", null);
      assertThat(bug.statusCode()).isEqualTo(500);
      assertThat(new String(bug.body(), StandardCharsets.UTF_8)).isEqualTo("internal error\n");
    } finally {
      other.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private HttpResponse<byte[]> batchRead(HttpClient client, String namespace, byte[] body) throws Exception {
    return send(client, "POST", KvPaths.batchReadPath(namespace), body);
  }

  @Test
  void aBatchReadAnswersTheRecordsFoundInOneRequestAndLeavesAbsentKeysOut() throws Exception {
    String odd = "a/b c+ü?#%";
    store.put("days", "i-1/2026-12-06", utf8("day one"));
    store.put("days", odd, utf8("odd"));
    store.put("days", "empty", new byte[0]);
    store.put("other", "i-1/2026-12-06", utf8("another namespace"));

    HttpResponse<byte[]> read = batchRead(controller, "days", KvKeys.encode(List.of("i-1/2026-12-06", odd, "empty", "absent")));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("Content-Type")).contains(KvRecords.CONTENT_TYPE);
    Map<String, byte[]> found = KvRecords.decode(read.body());
    assertThat(found).containsOnlyKeys("i-1/2026-12-06", odd, "empty");
    assertThat(new String(found.get("i-1/2026-12-06"), StandardCharsets.UTF_8)).isEqualTo("day one");
    assertThat(found.get("empty")).isEmpty();

    assertThat(KvRecords.decode(batchRead(controller, "days", KvKeys.encode(List.of())).body())).isEmpty();
    assertThat(KvRecords.decode(batchRead(controller, "never-written", KvKeys.encode(List.of("a", "b"))).body())).isEmpty();
    List<String> thousand = java.util.stream.IntStream.range(0, KvKeys.KEYS_MAX).mapToObj(i -> "k" + i).toList();
    assertThat(KvRecords.decode(batchRead(controller, "days", KvKeys.encode(thousand)).body())).as("the bound itself is fine").isEmpty();
  }

  @Test
  void aBadBatchReadIs400WithAReadableMessageAndNeverA500() throws Exception {
    byte[] good = KvKeys.encode(List.of("a", "b"));
    java.nio.ByteBuffer tooMany = java.nio.ByteBuffer.allocate(8 + (KvKeys.KEYS_MAX + 1) * 5).put(utf8("CKG1")).putInt(KvKeys.KEYS_MAX + 1);
    for (int i = 0; i <= KvKeys.KEYS_MAX; i++) {
      tooMany.putInt(1).put((byte) 'k');
    }
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("not a list", utf8("a, b"));
    bad.put("cut off", java.util.Arrays.copyOf(good, good.length - 1));
    bad.put("too many keys", tooMany.array());
    bad.put("an empty key", keys(new byte[0]));
    bad.put("a key with NUL", keys(utf8("nul\0key")));
    bad.put("a key too long", keys(utf8("k".repeat(KvPaths.KEY_BYTES_MAX + 1))));
    bad.put("invalid UTF-8", keys(new byte[] {(byte) 0xC3, 0x28}));
    Map<String, String> says = Map.of("too many keys", "0 to 1000 keys", "a key with NUL", "NUL", "invalid UTF-8", "UTF-8",
        "a key too long", "1 to 1024 bytes");
    for (var request : bad.entrySet()) {
      HttpResponse<byte[]> refused = batchRead(controller, "days", request.getValue());
      String body = new String(refused.body(), StandardCharsets.UTF_8);
      assertThat(refused.statusCode()).as(request.getKey()).isEqualTo(400);
      assertThat(body).as(request.getKey()).contains(says.getOrDefault(request.getKey(), "")).doesNotContain("Exception");
    }
    assertThat(batchRead(controller, "days", new byte[KvKeys.BODY_BYTES_MAX + 1]).statusCode()).isEqualTo(413);
    assertThat(raw("POST", "/v1/kv/%FF?get")).startsWith("HTTP/1.1 400 ");
    assertThat(send("POST", KvPaths.namespacePath("days"), good).statusCode()).as("a POST without ?get").isEqualTo(405);
    assertThat(send("POST", KvPaths.namespacePath("days") + "?put", good).statusCode()).isEqualTo(405);
  }

  /** A CKG1 body of one key given as raw bytes, which {@link KvKeys#encode} would refuse to build. */
  private static byte[] keys(byte[] key) {
    return java.nio.ByteBuffer.allocate(12 + key.length).put(utf8("CKG1")).putInt(1).putInt(key.length).put(key).array();
  }

  @Test
  void recordsTooLargeForOneAnswerAre413SayingSoSoTheClientAsksForFewer() throws Exception {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < KvKeys.ANSWER_BYTES_MAX / InternalKvServer.VALUE_BYTES_MAX + 1; i++) {
      store.put("days", "big-" + i, new byte[InternalKvServer.VALUE_BYTES_MAX]);
      keys.add("big-" + i);
    }
    HttpResponse<byte[]> tooLarge = batchRead(controller, "days", KvKeys.encode(keys));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.headers().firstValue(InternalKvServer.RESULT_HEADER)).contains(KvKeys.RESULT_TOO_LARGE);
    assertThat(new String(tooLarge.body(), StandardCharsets.UTF_8)).contains("ask for fewer keys");
    HttpResponse<byte[]> half = batchRead(controller, "days", KvKeys.encode(keys.subList(0, keys.size() / 2)));
    assertThat(KvRecords.decode(half.body())).hasSize(keys.size() / 2);
  }

  @Test
  void clientsWithoutACertificateOrWithAnotherRoleOrCaAreRefusedAtTls() throws Exception {
    HttpClient anonymous = client(null);
    HttpClient storagePeer = client(storageKeys);
    HttpClient rogue = client(pki.selfSigned("controller", "ctl-rogue").keys());
    for (HttpClient refused : new HttpClient[] {anonymous, storagePeer, rogue}) {
      assertThatThrownBy(() -> send(refused, "PUT", "/v1/kv/ns/k", utf8("v"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> batchRead(refused, "ns", KvKeys.encode(List.of("k")))).as("nor read in a batch")
          .isInstanceOf(IOException.class);
    }
    assertThat(store.loadAll("ns")).isEmpty();
    assertThat(send("PUT", "/v1/kv/ns/k", utf8("v")).statusCode()).as("the controller still gets in").isEqualTo(204);
  }

  @Test
  void theDigestRouteOnlyReadsChecksItsPathAndIs501WhereThereAreNoObjects() throws Exception {
    HttpResponse<byte[]> noObjects = send("GET", ObjectPaths.digestPath("images", "disk.img"), null);
    assertThat(noObjects.statusCode()).isEqualTo(501);
    assertThat(noObjects.headers().firstValue(InternalKvServer.RESULT_HEADER)).as("not a missing object").isEmpty();
    assertThat(send("PUT", ObjectPaths.digestPath("images", "disk.img"), utf8("v")).statusCode()).isEqualTo(405);
    for (String path : new String[] {"/v1/objects/images/disk.img", "/v1/objects/images/a/b/digest", "/v1/objects//disk.img/digest",
        "/v1/objects/images/%FF/digest", "/v1/objects/images/disk.img/sha1"}) {
      String response = raw("GET", path);
      assertThat(response).as(path).startsWith("HTTP/1.1 400 ").doesNotContain("Exception").doesNotContain("at dev.");
    }
  }

  @Test
  void theBucketStorageRouteOnlyReadsChecksItsIdAndIs501WhereThereAreNoObjects() throws Exception {
    assertThat(send("GET", BucketStorage.path("b_0123"), null).statusCode()).isEqualTo(501);
    assertThat(send("PUT", BucketStorage.path("b_0123"), utf8("v")).statusCode()).isEqualTo(405);
    for (String path : new String[] {"/v1/bucket-storage/", "/v1/bucket-storage/a/b", "/v1/bucket-storage/%FF"}) {
      String response = raw("GET", path);
      assertThat(response).as(path).startsWith("HTTP/1.1 400 ").doesNotContain("Exception").doesNotContain("at dev.");
    }
  }
}
