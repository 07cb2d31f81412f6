package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.kv.MembershipRefusedException;
import dev.canopy.storage.kv.MembershipRefusedException.Reason;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.RingView;
import dev.canopy.storage.kv.ring.Ring;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Canopy's ring routes on the Riak listener over real HTTP: the view, join and leave, and every refusal as JSON. */
class RiakRingRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Ring THREE = Ring.create(Map.of("1", "10.0.0.1", "2", "10.0.0.2", "3", "10.0.0.3"), 64, 3);

  /** Answers what the test sets; records what it was asked. */
  static final class FakeRingAdmin implements RingAdmin {
    final List<String> calls = new ArrayList<>();
    RuntimeException failure;
    Ring ring = THREE;

    private CompletableFuture<RingView> answer() {
      return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(new RingView("1", ring, 2));
    }

    @Override
    public CompletableFuture<RingView> view() {
      calls.add("view");
      return answer();
    }

    @Override
    public CompletableFuture<RingView> join(String node, String address) {
      calls.add("join " + node + " " + address);
      ring = failure == null ? ring.join(node, address).ring() : ring;
      return answer();
    }

    @Override
    public CompletableFuture<RingView> leave(String node) {
      calls.add("leave " + node);
      ring = failure == null ? ring.leave(node).ring() : ring;
      return answer();
    }
  }

  Vertx vertx;
  FakeRingAdmin admin = new FakeRingAdmin();
  RiakHttpServer server;
  HttpClient http = HttpClient.newHttpClient();
  String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = new RiakHttpServer(vertx, RiakHttpConfig.loopback("127.0.0.1", 0), new FakeKvService(), admin, new SplittableRandom(3));
    base = "http://127.0.0.1:" + server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  @Test
  void theRingShowsItsVersionMembersAddressesOwnersAndThisNodesHandoffs() throws Exception {
    HttpResponse<String> response = get("/canopy/ring");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode ring = json(response);
    assertThat(ring.path("node").asText()).isEqualTo("1");
    assertThat(ring.path("version").asLong()).isEqualTo(1);
    assertThat(ring.path("partitions").asInt()).isEqualTo(64);
    assertThat(ring.path("handoffs_pending").asInt()).isEqualTo(2);
    assertThat(ring.path("members")).hasSize(3);
    JsonNode first = ring.path("members").get(0);
    assertThat(first.path("id").asText()).isEqualTo("1");
    assertThat(first.path("address").asText()).isEqualTo("10.0.0.1");
    assertThat(first.path("partitions_owned").asInt()).isEqualTo(first.path("partitions").size()).isBetween(21, 22);
  }

  @Test
  void aJoinNamesTheNodeAndItsAddressAndAnswersTheNewRing() throws Exception {
    HttpResponse<String> response = post("/canopy/ring/join", "{\"node\":\"4\",\"address\":\"10.0.0.4\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(admin.calls).containsExactly("join 4 10.0.0.4");
    JsonNode ring = json(response);
    assertThat(ring.path("version").asLong()).isEqualTo(2);
    assertThat(ring.path("members").get(3).path("address").asText()).isEqualTo("10.0.0.4");
    assertThat(ring.path("members").get(3).path("partitions_owned").asInt()).isEqualTo(16);
  }

  @Test
  void aLeaveNamesTheNode() throws Exception {
    HttpResponse<String> response = post("/canopy/ring/leave", "{\"node\":\"2\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(admin.calls).containsExactly("leave 2");
    assertThat(json(response).path("members")).hasSize(2);
  }

  @Test
  void eachRefusalHasItsStatusAndAJsonMessage() throws Exception {
    Map<Reason, Integer> statuses = Map.of(Reason.INVALID, 400, Reason.NOT_A_MEMBER, 404, Reason.CONFLICT, 409,
        Reason.UNREACHABLE, 503);
    for (var expected : statuses.entrySet()) {
      admin.failure = new MembershipRefusedException(expected.getKey(), "refused because " + expected.getKey());
      HttpResponse<String> response = post("/canopy/ring/join", "{\"node\":\"4\",\"address\":\"10.0.0.4\"}");

      assertThat(response.statusCode()).as("%s", expected.getKey()).isEqualTo(expected.getValue());
      JsonNode error = json(response);
      assertThat(error.path("error").asText()).isEqualTo(expected.getKey().name());
      assertThat(error.path("message").asText()).isEqualTo("refused because " + expected.getKey());
    }
  }

  @Test
  void aBodyThatIsNotTheRequestIs400AsJsonAndChangesNothing() throws Exception {
    for (String body : new String[] {"not json", "[1]", "{}", "{\"node\":4,\"address\":\"h\"}", "{\"node\":\"4\"}"}) {
      HttpResponse<String> response = post("/canopy/ring/join", body);

      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(json(response).path("error").asText()).isEqualTo("INVALID");
    }
    assertThat(admin.calls).isEmpty();
  }

  @Test
  void anUnexpectedFailureIsA500ThatSaysNothingOfTheCause() throws Exception {
    admin.failure = new IllegalStateException("disk /var/lib/secret broke");

    HttpResponse<String> response = post("/canopy/ring/leave", "{\"node\":\"2\"}");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("secret").doesNotContain("Exception");
    assertThat(json(response).path("error").asText()).isEqualTo("INTERNAL");
  }

  @Test
  void otherMethodsAndPathsAreRiaksUsual405And404() throws Exception {
    assertThat(get("/canopy/ring/join").statusCode()).isEqualTo(405);
    assertThat(post("/canopy/ring", "{}").statusCode()).isEqualTo(405);
    assertThat(get("/canopy/ring/other").statusCode()).isEqualTo(404);
    assertThat(get("/canopy").statusCode()).isEqualTo(404);
  }

  @Test
  void aListenerWithoutARingToChangeHasNoRingRoutes() throws Exception {
    RiakHttpServer plain = new RiakHttpServer(vertx, RiakHttpConfig.loopback("127.0.0.1", 0), new FakeKvService(), new SplittableRandom(5));
    int port = plain.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/canopy/ring"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(404);
    } finally {
      plain.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
