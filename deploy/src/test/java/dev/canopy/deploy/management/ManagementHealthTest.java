package dev.canopy.deploy.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health} is what a load balancer polls: 200 or 503, and a JSON reason an operator can act on. */
class ManagementHealthTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void healthFollowsTheChecksAndSaysWhichOneFailsWhileReadyzAgrees() throws Exception {
    AtomicBoolean started = new AtomicBoolean(false);
    AtomicBoolean majority = new AtomicBoolean(true);
    ManagementServer server = new ManagementServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true,
        () -> Health.firstFailing(new Health.Check(started::get, "the controller is starting or stopping"),
            new Health.Check(majority::get, "its grid member is not in a majority of the controllers")));
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertAnswer(port, 503, "unavailable", "the controller is starting or stopping");
    started.set(true);
    majority.set(false);
    assertAnswer(port, 503, "unavailable", "its grid member is not in a majority of the controllers");
    majority.set(true);
    assertAnswer(port, 200, "serving", "serving");
    assertThat(get(port, "/healthz").statusCode()).as("alive whatever /health says").isEqualTo(200);
  }

  @Test
  void aReasonIsEscapedIntoValidJsonAndBounded() throws Exception {
    Health odd = Health.unavailable("a \"quoted\" reason\\ with a\nline break" + "x".repeat(500));
    JsonNode body = JSON.readTree(odd.json());
    assertThat(body.path("status").asText()).isEqualTo("unavailable");
    assertThat(body.path("reason").asText()).startsWith("a \"quoted\" reason\\ with a\nline break").hasSize(Health.REASON_LENGTH_MAX);
  }

  private void assertAnswer(int port, int status, String state, String reason) throws Exception {
    HttpResponse<String> health = get(port, "/health");
    assertThat(health.statusCode()).isEqualTo(status);
    assertThat(health.headers().firstValue("content-type")).contains("application/json");
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("status").asText()).isEqualTo(state);
    assertThat(body.path("reason").asText()).isEqualTo(reason);
    assertThat(get(port, "/readyz").statusCode()).as("/readyz gives the same verdict").isEqualTo(status);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
