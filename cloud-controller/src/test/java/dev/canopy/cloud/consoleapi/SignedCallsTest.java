package dev.canopy.cloud.consoleapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Verifier;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A streamed answer on a real Vert.x server: whole when written whole, cut short (never complete-looking) when its writing fails. */
class SignedCallsTest {

  private static final Credential KEY = new Credential("AKIASTREAMTEST000000", "secret", "111122223333");
  private static final String REGION = "canopy-1";
  private static final String BIG = "x".repeat(5 * ResponseWriter.CHUNK_CHARS + 17);

  static Vertx vertx = Vertx.vertx();
  static URI base;
  /** HTTP/1.1, as on the console port (which offers no h2c): chunks are visible as such. */
  static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    SignedCalls calls = new SignedCalls(vertx,
        new SigV4Verifier(id -> id.equals(KEY.accessKeyId()) ? Optional.of(KEY) : Optional.empty(), Clock.systemUTC(),
            SigV4Verifier.SKEW_MAX_DEFAULT, REGION, "canopy"),
        LoggerFactory.getLogger(SignedCallsTest.class));
    Router router = Router.router(vertx);
    router.get("/whole").handler(ctx -> calls.call(ctx, 200, caller -> new StreamedBody("text/plain", out -> out.write(BIG))));
    router.get("/broken").handler(ctx -> calls.call(ctx, 200, caller -> new StreamedBody("text/plain", out -> {
      out.write(BIG);
      throw new IOException("the store went away mid-report");
    })));
    router.get("/broken-early").handler(ctx -> calls.call(ctx, 200, caller -> new StreamedBody("text/plain", out -> {
      throw new IllegalStateException("a bug before the first byte");
    })));
    int port = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    base = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStreamedAnswerArrivesWholeInChunks() throws Exception {
    HttpResponse<String> response = http.send(signed("/whole"), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(response.body()).isEqualTo(BIG);
  }

  @Test
  void aFailureAfterTheFirstChunkCutsTheAnswerShort() {
    assertThatThrownBy(() -> http.send(signed("/broken"), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  @Test
  void aFailureBeforeTheFirstChunkIsAnErrorAnswer() throws Exception {
    HttpResponse<String> response = http.send(signed("/broken-early"), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("\"code\":\"InternalError\"").doesNotContain("a bug");
  }

  private static HttpRequest signed(String path) {
    URI uri = base.resolve(path);
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey()))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
        .payload(() -> new java.io.ByteArrayInputStream(new byte[0]))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "canopy")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(v -> builder.header(name, v));
      }
    });
    return builder.build();
  }
}
