package dev.canopy.cloud.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.storage.directory.DirectoryJson;
import dev.canopy.storage.s3.BucketRecord;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controllers' directory over real sockets and real TLS, with certificates from a real CA. */
class StorageDirectoryServerTest {

  private static final Credential ALICE = new Credential("AKIAALICE00000000001", "alice-secret-key-0123456789", "111111111111");

  private final DirectoryPki pki = new DirectoryPki("directory-test");
  private final TlsCredentials storage = pki.storage("st-1");
  private final MemoryDirectory directory = new MemoryDirectory();
  private Vertx vertx;
  private StorageDirectoryServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = new StorageDirectoryServer(vertx, pki.controller("1"), directory.credentials(), directory.buckets(), directory.changes(),
        SystemTime.INSTANCE);
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get();
    base = URI.create("https://127.0.0.1:" + port);
    directory.add(ALICE);
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

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(DirectoryJson.errorCode(response.body().getBytes(StandardCharsets.UTF_8))).as(response.body()).contains(code);
    assertThat(response.headers().firstValue("Content-Type")).contains(DirectoryJson.CONTENT_TYPE);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static String record(String name, String owner) {
    return new String(DirectoryJson.bucket(new BucketRecord(name, owner, Instant.parse("2026-01-02T03:04:05.123Z"), "canopy-1")),
        StandardCharsets.UTF_8);
  }

  @Test
  void admitsOnlyStorageCertificatesOfItsCa() throws Exception {
    assertThat(send("GET", "/v1/changes", null).statusCode()).isEqualTo(200);

    // Another cloud's storage certificate, presented by a client that does trust this cloud's controllers.
    TlsCredentials foreign = new DirectoryPki("another-cloud").storage("st-1");
    for (TlsCredentials refused : new TlsCredentials[] {pki.node("nd-1"), pki.controller("2"), foreign}) {
      SSLContext client = DirectoryPki.presenting(PeerCertificates.keyManagers(refused.key(), refused.certificate()), storage.ca());
      assertThatThrownBy(() -> send(client, "GET", "/v1/credentials/" + ALICE.accessKeyId(), null))
          .as(refused.toString()).isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() -> send(DirectoryPki.presenting(null, storage.ca()), "GET", "/v1/changes", null)).isInstanceOf(IOException.class);
  }

  @Test
  void credentialsAreFoundOrMissing() throws Exception {
    HttpResponse<String> found = send("GET", "/v1/credentials/" + ALICE.accessKeyId(), null);
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(DirectoryJson.credential(found.body().getBytes(StandardCharsets.UTF_8))).isEqualTo(ALICE);

    assertError(send("GET", "/v1/credentials/AKIANOBODY0000000000", null), 404, DirectoryJson.NO_SUCH_ACCESS_KEY);
    assertError(send("GET", "/v1/credentials/AKIA%2F..%2Fx", null), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("GET", "/v1/credentials/", null), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("DELETE", "/v1/credentials/" + ALICE.accessKeyId(), null), 405, DirectoryJson.METHOD_NOT_ALLOWED);
  }

  @Test
  void bucketsAreCreatedOnceFoundListedAndDeleted() throws Exception {
    assertThat(send("PUT", "/v1/buckets/photos", record("photos", "111111111111")).statusCode()).isEqualTo(201);
    assertThat(send("PUT", "/v1/buckets/logs", record("logs", "111111111111")).statusCode()).isEqualTo(201);
    assertThat(send("PUT", "/v1/buckets/other", record("other", "222222222222")).statusCode()).isEqualTo(201);
    assertError(send("PUT", "/v1/buckets/photos", record("photos", "222222222222")), 409, DirectoryJson.BUCKET_ALREADY_EXISTS);
    assertError(send("PUT", "/v1/buckets/photos", record("photos", "111111111111")), 409, DirectoryJson.BUCKET_ALREADY_EXISTS);

    HttpResponse<String> photos = send("GET", "/v1/buckets/photos", null);
    assertThat(photos.statusCode()).isEqualTo(200);
    assertThat(DirectoryJson.bucket(photos.body().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new BucketRecord("photos", "111111111111", Instant.parse("2026-01-02T03:04:05.123Z"), "canopy-1"));
    assertError(send("GET", "/v1/buckets/nothing-here", null), 404, DirectoryJson.NO_SUCH_BUCKET);

    HttpResponse<String> listing = send("GET", "/v1/buckets?owner=111111111111", null);
    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(DirectoryJson.buckets(listing.body().getBytes(StandardCharsets.UTF_8))).extracting(BucketRecord::name)
        .containsExactly("logs", "photos");
    assertThat(DirectoryJson.buckets(send("GET", "/v1/buckets?owner=333333333333", null).body().getBytes(StandardCharsets.UTF_8))).isEmpty();

    assertThat(send("DELETE", "/v1/buckets/photos", null).statusCode()).isEqualTo(204);
    assertError(send("GET", "/v1/buckets/photos", null), 404, DirectoryJson.NO_SUCH_BUCKET);
    assertThat(send("DELETE", "/v1/buckets/photos", null).statusCode()).as("deleting nothing is done").isEqualTo(204);
  }

  @Test
  void malformedAndUnknownRequestsAreRefusedInJson() throws Exception {
    assertError(send("PUT", "/v1/buckets/photos", "not json"), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/buckets/photos", record("another", "111111111111")), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/buckets/photos", "{\"name\":\"photos\",\"ownerAccountId\":\"111111111111\",\"region\":\"r\"}"),
        400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/buckets/photos", record("photos", "111111111111").replace("2026-01-02T03:04:05.123Z", "yesterday")),
        400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/buckets/Not_A_Bucket", record("photos", "111111111111")), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("PUT", "/v1/buckets/photos", "{\"pad\":\"" + "x".repeat(DirectoryJson.RECORD_BYTES_MAX) + "\"}"),
        413, DirectoryJson.TOO_LARGE);
    assertError(send("GET", "/v1/buckets", null), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("GET", "/v1/buckets?owner=1&owner=2", null), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("GET", "/v1/buckets?owner=a%20b", null), 400, DirectoryJson.BAD_REQUEST);
    assertError(send("POST", "/v1/buckets/photos", "{}"), 405, DirectoryJson.METHOD_NOT_ALLOWED);
    assertError(send("POST", "/v1/changes", "{}"), 405, DirectoryJson.METHOD_NOT_ALLOWED);
    assertError(send("GET", "/v1/kv/accounts", null), 404, DirectoryJson.NOT_FOUND);
    assertError(send("GET", "/", null), 404, DirectoryJson.NOT_FOUND);
    assertThat(send("GET", "/v1/buckets/photos", null).statusCode()).as("nothing was created").isEqualTo(404);
  }

  @Test
  void aFailingGridIsA503ThatTellsNothingOfTheCause() throws Exception {
    directory.failing(true);
    HttpResponse<String> credential = send("GET", "/v1/credentials/" + ALICE.accessKeyId(), null);
    assertError(credential, 503, DirectoryJson.UNAVAILABLE);
    assertThat(credential.body()).doesNotContain("test store");
    assertError(send("PUT", "/v1/buckets/photos", record("photos", "111111111111")), 503, DirectoryJson.UNAVAILABLE);
    assertError(send("GET", "/v1/buckets?owner=111111111111", null), 503, DirectoryJson.UNAVAILABLE);
    directory.failing(false);
    assertThat(send("GET", "/v1/credentials/" + ALICE.accessKeyId(), null).statusCode()).isEqualTo(200);
  }

  @Test
  void theChangeCountersMoveWithEveryWrite() throws Exception {
    DirectoryJson.Changes before = DirectoryJson.changes(send("GET", "/v1/changes", null).body().getBytes(StandardCharsets.UTF_8));
    directory.remove(ALICE);
    send("PUT", "/v1/buckets/photos", record("photos", "111111111111"));
    DirectoryJson.Changes after = DirectoryJson.changes(send("GET", "/v1/changes", null).body().getBytes(StandardCharsets.UTF_8));
    assertThat(after.source()).isEqualTo(before.source());
    assertThat(after.credentials()).isGreaterThan(before.credentials());
    assertThat(after.buckets()).isGreaterThan(before.buckets());
  }
}
