package dev.canopy.cloud.consoles3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's S3 calls pass over a storage node that refuses connections for the next one. */
class S3UpstreamTest {

  private static final Credential TENANT = new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "111111111111");

  private Vertx vertx;
  private HttpServer up;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    up = vertx.createHttpServer().requestHandler(request -> request.response().end("from the node that is up"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * An endpoint that refuses connections: port 1 (tcpmux, privileged and unused) on a loopback
   * address. A port bound and closed again was refused too, until another process of the test run
   * took it in between and answered in the dead node's place.
   */
  private static URI refusing(int host) {
    return URI.create("http://127.0.0." + host + ":1");
  }

  private static String get(S3Upstream upstream) throws Exception {
    return upstream.send(S3Upstream.Request.bodiless(HttpMethod.GET, "/photos/a.jpg", null), TENANT)
        .compose(answer -> answer.body().map(body -> answer.statusCode() + " " + body))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNodeThatRefusesTheConnectionIsPassedOverWhicheverComesFirstInTheRotation() throws Exception {
    List<URI> endpoints = List.of(refusing(1), URI.create("http://127.0.0.1:" + up.actualPort()));
    S3Upstream upstream = new S3Upstream(vertx, () -> endpoints, "canopy-1", InstantSource.system());
    for (int call = 0; call < 4; call++) {
      assertThat(get(upstream)).as("call %d", call).isEqualTo("200 from the node that is up");
    }
  }

  @Test
  void whenNoNodeAnswersTheCallIsUnavailable() throws Exception {
    List<URI> endpoints = List.of(refusing(1), refusing(2));
    S3Upstream upstream = new S3Upstream(vertx, () -> endpoints, "canopy-1", InstantSource.system());
    assertThatThrownBy(() -> get(upstream)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(S3Upstream.Unreachable.class).hasMessageContaining("no S3 endpoint answered");
  }
}
