package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.admin.AdminEndpoint;
import dev.canopy.cloud.compute.NotLeaderException;
import dev.canopy.cloud.consoleapi.SessionCallers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's EC2 door over a real console endpoint and grid: a session's account runs actions
 * through the shared dispatch; no session, no CSRF token on a change, the operator and malformed
 * requests are refused with the console's JSON error; a leader-only action on a controller that
 * does not lead goes, cookie and token included, to the holder's console port, once.
 */
class SessionEc2ApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static Vertx holderVertx;
  static HttpServer holder;
  static final AtomicReference<HolderSaw> forwarded = new AtomicReference<>();

  /** What the stand-in lease holder's console port received. */
  record HolderSaw(String path, MultiMap headers, String body) {}

  @BeforeAll
  static void start() throws Exception {
    holderVertx = Vertx.vertx();
    holder = holderVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      forwarded.set(new HolderSaw(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      request.response().putHeader("content-type", "text/xml;charset=UTF-8").end("<RunInstancesResponse>by the holder</RunInstancesResponse>");
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI holderConsole = URI.create("http://127.0.0.1:" + holder.actualPort());
    // This controller does not lead: its scheduling action says so, as the real one does on a follower.
    Ec2Actions actions = Ec2Actions.forCloud(new RegionCatalog("canopy-1", List.of("canopy-1a"), "127.0.0.1"))
        .register(List.of(NamedAction.of("RunInstances", (request, xml) -> {
          throw new NotLeaderException();
        })));
    endpoint = AdminEndpoint.withRoutes(dir, (vertx, verifier, grid, store, sessions) -> new SessionEc2Api(vertx, sessions,
        new Ec2Dispatch(actions, new SimpleMeterRegistry(), Ec2Throttle.NONE), () -> Optional.of(holderConsole)));
    endpoint.identity.createAccount("acme");
    for (String account : List.of("acme", "admin")) {
      assertThat(endpoint.put("/admin/v1/accounts/" + account + "/console-password", "{\"password\":\"" + PASSWORD + "\"}")
          .statusCode()).isEqualTo(204);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
    holderVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDescribeNeedsTheSessionButNoCsrfToken() throws Exception {
    Session acme = Session.logIn("acme");
    HttpResponse<String> regions = post(acme.token, null, "Action=DescribeRegions", null);

    assertThat(regions.statusCode()).as(regions.body()).isEqualTo(200);
    assertThat(regions.headers().firstValue("content-type").orElseThrow()).startsWith("text/xml");
    assertThat(regions.body()).contains("<DescribeRegionsResponse").contains("canopy-1");
    assertError(post(null, null, "Action=DescribeRegions", null), 401, "NoSession");
    assertError(post("not-a-session", null, "Action=DescribeRegions", null), 401, "NoSession");
  }

  @Test
  void aChangeWithoutTheCsrfTokenIsRefusedBeforeItRuns() throws Exception {
    Session acme = Session.logIn("acme");
    forwarded.set(null);

    assertError(post(acme.token, null, "Action=RunInstances&ImageId=ami-1", null), 403, "InvalidCsrfToken");
    assertError(post(acme.token, "a-wrong-token", "Action=RunInstances&ImageId=ami-1", null), 403, "InvalidCsrfToken");
    assertThat(forwarded.get()).as("nothing reached the holder").isNull();
  }

  @Test
  void theOperatorHasNoEc2Account() throws Exception {
    Session operator = Session.logIn("admin");

    assertError(post(operator.token, operator.csrf, "Action=DescribeRegions", null), 403, "AccessDenied");
  }

  @Test
  void malformedRequestsGetEc2sCodeAsJson() throws Exception {
    Session acme = Session.logIn("acme");

    assertError(post(acme.token, acme.csrf, "Action=NoSuchThing", null), 400, "InvalidAction");
    assertError(post(acme.token, acme.csrf, "ImageId=ami-1", null), 400, "MissingAction");
    assertError(post(acme.token, acme.csrf, "Action=DescribeRegions&%zz", null), 400, null);
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/api/ec2?Action=DescribeRegions"))
        .header("cookie", SessionCallers.SESSION_COOKIE + "=" + acme.token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertError(get, 405, "MethodNotAllowed");
  }

  @Test
  void aLeaderOnlyActionGoesToTheHoldersConsolePortAsItCame() throws Exception {
    Session acme = Session.logIn("acme");
    forwarded.set(null);

    HttpResponse<String> run = post(acme.token, acme.csrf, "Action=RunInstances&ImageId=ami-1", null);

    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    assertThat(run.body()).isEqualTo("<RunInstancesResponse>by the holder</RunInstancesResponse>");
    HolderSaw saw = forwarded.get();
    assertThat(saw.path()).isEqualTo("/api/ec2");
    assertThat(saw.body()).isEqualTo("Action=RunInstances&ImageId=ami-1");
    assertThat(saw.headers().get("cookie")).contains(acme.token);
    assertThat(saw.headers().get(SessionCallers.CSRF_HEADER)).isEqualTo(acme.csrf);
    assertThat(saw.headers().get(LeaderForwarding.FORWARDED_HEADER)).isNotNull();
  }

  @Test
  void aForwardedCallIsNeverForwardedAgain() throws Exception {
    Session acme = Session.logIn("acme");
    forwarded.set(null);

    assertError(post(acme.token, acme.csrf, "Action=RunInstances&ImageId=ami-1", "1"), 503, "Unavailable");
    assertThat(forwarded.get()).isNull();
  }

  private static void assertError(HttpResponse<String> answer, int status, String code) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    JsonNode error = JSON.readTree(answer.body());
    if (code != null) {
      assertThat(error.path("code").asText()).isEqualTo(code);
    }
    assertThat(error.path("message").asText()).isNotEmpty();
  }

  private static HttpResponse<String> post(String token, String csrf, String form, String forwardedBy) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.base().resolve("/api/ec2"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      request.header("cookie", SessionCallers.SESSION_COOKIE + "=" + token);
    }
    if (csrf != null) {
      request.header(SessionCallers.CSRF_HEADER, csrf);
    }
    if (forwardedBy != null) {
      request.header(LeaderForwarding.FORWARDED_HEADER, forwardedBy);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Session(String token, String csrf) {
    static Session logIn(String account) throws Exception {
      HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/api/session"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + account + "\",\"password\":\"" + PASSWORD + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      String cookie = login.headers().firstValue("set-cookie").orElseThrow();
      return new Session(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')), JSON.readTree(login.body()).path("csrfToken").asText());
    }
  }
}
