package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.tls.KeytoolPki;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call: anyone on a loopback bind without a check, HTTP basic over TLS elsewhere, and
 * never credentials over plain HTTP on the network. Calls go through curl.
 */
class RiakAuthTest {

  private static final BiPredicate<String, String> ADMIN = (id, secret) -> id.equals("AKIDADMIN") && secret.equals("s3cret");

  @TempDir static Path pki;
  private static KeyManagerFactory storageKeys;
  private Vertx vertx;
  private RiakHttpServer server;

  @BeforeAll
  static void certificate() throws Exception {
    storageKeys = new KeytoolPki(pki).issue("storage", "s1").keys();
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int start(RiakHttpConfig config) throws Exception {
    server = new RiakHttpServer(vertx, config, new FakeKvService(), new SplittableRandom(11));
    return server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNetworkBindWithoutTlsOrWithoutACheckIsRefusedBeforeStarting() {
    assertThatThrownBy(() -> new RiakHttpConfig("0.0.0.0", 0, null, ADMIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would take credentials over plain HTTP");
    assertThatThrownBy(() -> new RiakHttpConfig("0.0.0.0", 0, storageKeys, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a credentials check");
  }

  @Test
  void aLoopbackBindAdmitsEveryoneLikeRiak() throws Exception {
    int port = start(RiakHttpConfig.loopback("127.0.0.1", 0));

    assertThat(Curl.run("-w", " %{http_code}", "http://127.0.0.1:" + port + "/ping")).isEqualTo("OK 200");
  }

  @Test
  void aNetworkBindWantsTheAdminKeyOverTls() throws Exception {
    int port = start(RiakHttpConfig.secured("0.0.0.0", 0, storageKeys, ADMIN));
    String url = "https://127.0.0.1:" + port + "/buckets/b/keys/k";

    String anonymous = Curl.run("-k", "-i", url);
    String wrongSecret = Curl.run("-k", "-o", "/dev/null", "-w", "%{http_code}", "-u", "AKIDADMIN:guess", url);
    String admin = Curl.run("-k", "-w", " %{http_code}", "-u", "AKIDADMIN:s3cret", url);
    String plainHttp = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-u", "AKIDADMIN:s3cret",
        "http://127.0.0.1:" + port + "/ping");

    assertThat(anonymous).startsWith("HTTP/1.1 401").containsIgnoringCase("WWW-Authenticate: Basic realm=\"Riak\"");
    assertThat(wrongSecret).isEqualTo("401");
    assertThat(admin).isEqualTo("not found\n 404");
    assertThat(plainHttp).isNotEqualTo("200");
  }

  @Test
  void anAdminWritesAndReadsOverTls() throws Exception {
    int port = start(RiakHttpConfig.secured("0.0.0.0", 0, storageKeys, ADMIN));
    String url = "https://127.0.0.1:" + port + "/buckets/b/keys/k";

    String written = Curl.run("-k", "-w", "%{http_code}", "-u", "AKIDADMIN:s3cret", "-X", "PUT",
        "-H", "Content-Type: text/plain", "-d", "over tls", url);
    String anonymousWrite = Curl.run("-k", "-w", "%{http_code}", "-o", "/dev/null", "-X", "PUT",
        "-H", "Content-Type: text/plain", "-d", "sneaky", url);

    assertThat(written).isEqualTo("204");
    assertThat(anonymousWrite).isEqualTo("401");
    assertThat(Curl.run("-k", "-u", "AKIDADMIN:s3cret", url)).isEqualTo("over tls");
  }

  @Test
  void aCheckOnLoopbackIsAskedToo() throws Exception {
    int port = start(new RiakHttpConfig("127.0.0.1", 0, null, ADMIN));

    assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + port + "/ping")).isEqualTo("401");
    assertThat(Curl.run("-u", "AKIDADMIN:s3cret", "http://127.0.0.1:" + port + "/ping")).isEqualTo("OK");
  }
}
