package dev.canopy.cloud.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.metering.buckets.BucketUsagePushes;
import dev.canopy.cloud.metering.buckets.BucketUsageRecord;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.storage.directory.DirectoryJson;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.usage.BucketUsage;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code PUT /v1/bucket-usage/{incarnation}/{hour}} over real sockets and TLS: stored and 204, 400, 413, 503, storage nodes only. */
class BucketUsageRouteTest {

  private static final Instant HOUR = Instant.parse("2026-12-06T10:00:00Z");
  private static final String PATH = "/v1/bucket-usage/st-1-1733479200000/" + HOUR.getEpochSecond();

  private final DirectoryPki pki = new DirectoryPki("usage-route-test");
  private final TlsCredentials storage = pki.storage("st-1");
  private final MemoryDirectory directory = new MemoryDirectory();
  private final InMemoryTable<BucketUsageRecord> records = new InMemoryTable<>();
  private volatile boolean gridDown;
  private Vertx vertx;
  private StorageDirectoryServer server;
  private URI base;

  /** The grid map as the directory sees it; told to fail as a grid without its store does. */
  private final Table<BucketUsageRecord> grid = new Table<>() {
    @Override
    public Optional<BucketUsageRecord> get(String key) {
      return records.get(key);
    }

    @Override
    public void put(String key, BucketUsageRecord value) {
      if (gridDown) {
        throw new StoreException("the store is unreachable", null, true);
      }
      records.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, BucketUsageRecord value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String key) {
      records.remove(key);
    }

    @Override
    public List<BucketUsageRecord> values(Predicate<BucketUsageRecord> filter) {
      return records.values(filter);
    }
  };

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = new StorageDirectoryServer(vertx, pki.controller("1"), directory.credentials(), directory.buckets(), directory.changes(),
        SystemTime.INSTANCE).withBucketUsage(new BucketUsagePushes(grid, SystemTime.INSTANCE));
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get();
    base = URI.create("https://127.0.0.1:" + port);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private HttpResponse<String> send(SSLContext tls, String method, String path, String body) throws Exception {
    return DirectoryHttp.send(base, tls, method, path, body);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(DirectoryPki.presenting(storage), method, path, body);
  }

  private static String body(BucketUsage... usage) {
    return new String(DirectoryJson.bucketUsage(List.of(usage)), StandardCharsets.UTF_8);
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(DirectoryJson.errorCode(response.body().getBytes(StandardCharsets.UTF_8))).as(response.body()).contains(code);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aPushIsStoredAndALaterOneOfTheSameHourAndLifeReplacesIt() throws Exception {
    assertThat(send("PUT", PATH, body(new BucketUsage("111111111111", "photos", 3, 4, 500))).statusCode()).isEqualTo(204);
    assertThat(send("PUT", PATH, body(new BucketUsage("111111111111", "photos", 5, 4, 900))).statusCode()).isEqualTo(204);
    String key = BucketUsageRecord.key(HOUR, "st-1-1733479200000");
    assertThat(records.size()).isEqualTo(1);
    assertThat(records.get(key).orElseThrow().usage()).containsExactly(new BucketUsage("111111111111", "photos", 5, 4, 900));
    assertThat(records.get(key).orElseThrow().hour()).isEqualTo(HOUR);

    assertThat(send("PUT", "/v1/bucket-usage/st-1-1733479999999/" + HOUR.getEpochSecond(),
        body(new BucketUsage("111111111111", "photos", 1, 0, 0))).statusCode()).as("another life: another record").isEqualTo(204);
    assertThat(records.size()).isEqualTo(2);
  }

  @Test
  void malformedPushesAreRefusedWith400() throws Exception {
    assertError(send("PUT", PATH, "not json"), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", PATH, "{\"usage\":{}}"), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", PATH, "{\"usage\":[{\"bucket\":\"photos\",\"account\":\"111111111111\",\"tier1\":-1,\"tier2\":0,\"bytesOut\":0}]}"),
        400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", PATH, "{\"usage\":[{\"bucket\":\"Not_A_Bucket\",\"account\":\"111111111111\",\"tier1\":1,\"tier2\":0,\"bytesOut\":0}]}"),
        400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/bucket-usage/st-1-1/" + (HOUR.getEpochSecond() + 60), body()), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/bucket-usage/st-1-1/yesterday", body()), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/bucket-usage/st%2F1/" + HOUR.getEpochSecond(), body()), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/bucket-usage/st-1-1", body()), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("GET", PATH, null), 405, DirectoryJson.METHOD_NOT_ALLOWED);
    // Refused from its Content-Length: the 413 may reach the client, or the close may come first while it still sends.
    try {
      assertError(send("PUT", PATH, "{\"pad\":\"" + "x".repeat(DirectoryJson.USAGE_BYTES_MAX) + "\"}"), 413, DirectoryJson.TOO_LARGE);
    } catch (IOException closedWhileSending) {
      assertThat(closedWhileSending.getMessage()).isNotNull();
    }
    assertThat(records.size()).isZero();
  }

  @Test
  void aGridThatCannotStoreIs503() throws Exception {
    gridDown = true;
    assertError(send("PUT", PATH, body(new BucketUsage("111111111111", "photos", 1, 0, 0))), 503, DirectoryJson.UNAVAILABLE);
    gridDown = false;
    assertThat(send("PUT", PATH, body(new BucketUsage("111111111111", "photos", 1, 0, 0))).statusCode()).isEqualTo(204);
  }

  @Test
  void onlyStorageCertificatesMayPush() throws Exception {
    for (TlsCredentials refused : new TlsCredentials[] {pki.node("nd-1"), pki.controller("2")}) {
      SSLContext client = DirectoryPki.presenting(PeerCertificates.keyManagers(refused.key(), refused.certificate()), storage.ca());
      assertThatThrownBy(() -> send(client, "PUT", PATH, body(new BucketUsage("111111111111", "photos", 1, 0, 0))))
          .as(refused.toString()).isInstanceOf(IOException.class);
    }
    assertThat(records.size()).isZero();
  }
}
