package dev.canopy.cloud.hostsapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.admin.AdminEndpoint;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.hostmetrics.HostMetricsStore;
import dev.canopy.cloud.latency.ControllerLatency;
import dev.canopy.cloud.latency.LatencyRecorder;
import dev.canopy.core.time.ManualTime;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostSample;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's node routes through the real console endpoint over a real grid: the operator reads
 * nodes, metrics and the latency ranking; a tenant (signed or logged in) and an unsigned caller are
 * refused; an unknown node is 404 and a bad window 400.
 */
class HostsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSWORD = "a long enough password";
  private static final String NODE = "nd-0123456789abcdef";
  private static final String UNKNOWN = "nd-fedcba9876543210";

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static Credential tenant;
  static final ManualTime time = new ManualTime();
  static long now;

  @BeforeAll
  static void start() throws Exception {
    now = time.instant().getEpochSecond();
    endpoint = AdminEndpoint.withRoutes(dir, (vertx, verifier, grid, store, sessions) -> {
      NodeRegistry nodes = new NodeRegistry(grid.map(NodeRegistry.MAP_NAME, NodeRecord.class), time, Duration.ofSeconds(5));
      nodes.enroll(NODE, "host-a", "canopy-1a", new HostCapacity(8, 16_384, 100));
      HostMetricsStore metrics = new HostMetricsStore(store, "1", () -> List.of("1"), time, Duration.ofDays(7));
      metrics.ingest(NODE, List.of(
          new HostSample(now - 20, 10, new HostSample.Cpu(0.25, 0.1, 0.05, 0, 0.6), new HostSample.Memory(1 << 30, 1 << 29, 1 << 29, 0),
              Map.of(), Map.of("eth0", new HostSample.Net(100, 200, 1, 2))),
          new HostSample(now - 10, 10, new HostSample.Cpu(0.35, 0.1, 0.05, 0, 0.5), new HostSample.Memory(1 << 30, 1 << 29, 1 << 29, 0),
              Map.of(), Map.of("eth0", new HostSample.Net(100, 200, 1, 2)))));
      LatencyRecorder latency = new LatencyRecorder("1", grid.map(ControllerLatency.MAP, ControllerLatency.class), time);
      latency.heartbeat(NODE, 2_000_000);
      latency.publish();
      return new HostsApi(vertx, verifier, nodes, node -> List.of(), metrics, latency, time).withSessions(sessions);
    });
    tenant = endpoint.identity.createAccount("acme").credential();
    for (String account : List.of("acme", "admin")) {
      assertThat(endpoint.put("/admin/v1/accounts/" + account + "/console-password", "{\"password\":\"" + PASSWORD + "\"}")
          .statusCode()).isEqualTo(204);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void theOperatorReadsTheNodesAndANodesMetrics() throws Exception {
    JsonNode list = AdminEndpoint.okJson(endpoint.get("/api/admin/hosts"));
    assertThat(list.path("nodes").get(0).path("nodeId").asText()).isEqualTo(NODE);
    JsonNode node = AdminEndpoint.okJson(endpoint.get("/api/admin/hosts/" + NODE));
    assertThat(node.path("zone").asText()).isEqualTo("canopy-1a");
    assertThat(node.path("instances").isArray()).isTrue();

    JsonNode graph = AdminEndpoint.okJson(endpoint.get("/api/admin/hosts/" + NODE + "/metrics?metric=cpu&step=10&from="
        + (now - 60) + "&to=" + now));
    assertThat(graph.path("times")).hasSize(6);
    JsonNode idle = null;
    for (JsonNode line : graph.path("series")) {
      assertThat(line.path("group").asText()).isEqualTo("cpu");
      if (line.path("name").asText().equals("cpu.idle")) {
        idle = line.path("values");
      }
    }
    assertThat(idle).isNotNull();
    // Periods end at now-50 ... now; the samples stamped now-20 and now-10 end the 4th and 5th.
    assertThat(idle.get(3).asDouble()).isEqualTo(0.6);
    assertThat(idle.get(4).asDouble()).isEqualTo(0.5);
    assertThat(idle.get(0).isNull()).isTrue();
    assertThat(idle.get(5).isNull()).isTrue();
  }

  @Test
  void theLatencyRankingNamesTheNodeWithItsRoundTrips() throws Exception {
    JsonNode report = AdminEndpoint.okJson(endpoint.get("/api/admin/latency"));
    JsonNode row = report.path("nodes").get(0);
    assertThat(row.path("nodeId").asText()).isEqualTo(NODE);
    assertThat(row.path("heartbeat").path("count").asLong()).isEqualTo(1);
    assertThat(row.path("heartbeat").path("p50").asDouble()).isBetween(2.0, 2.4);
    assertThat(row.path("command").path("p50").isNull()).as("nothing measured is null, never NaN").isTrue();
  }

  @Test
  void aTenantIsRefusedSignedOrLoggedInAndNobodyUnsigned() throws Exception {
    for (String path : List.of("/api/admin/hosts", "/api/admin/hosts/" + NODE, "/api/admin/hosts/" + NODE + "/metrics",
        "/api/admin/latency")) {
      HttpResponse<String> signed = endpoint.getAs(tenant, path);
      assertThat(signed.statusCode()).as(path).isEqualTo(403);
      assertThat(AdminEndpoint.errorCode(signed)).isEqualTo("AccessDenied");
      HttpResponse<String> session = asSession(login("acme"), path);
      assertThat(session.statusCode()).as(path).isEqualTo(403);
      assertThat(session.body()).doesNotContain("host-a");
      assertThat(endpoint.getUnsigned(path).statusCode()).as(path).isEqualTo(403);
    }
    HttpResponse<String> expired = asSession("not-a-session", "/api/admin/hosts");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(asSession(login("admin"), "/api/admin/hosts").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownNodeIs404AndAMalformedOne400() throws Exception {
    HttpResponse<String> unknown = endpoint.get("/api/admin/hosts/" + UNKNOWN + "/metrics");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(AdminEndpoint.errorCode(unknown)).isEqualTo("NoSuchNode");
    assertThat(endpoint.get("/api/admin/hosts/" + UNKNOWN).statusCode()).isEqualTo(404);
    HttpResponse<String> malformed = endpoint.get("/api/admin/hosts/not-a-node");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(AdminEndpoint.errorCode(malformed)).isEqualTo("InvalidParameterValue");
  }

  @Test
  void aBadWindowIs400() throws Exception {
    for (String query : List.of("from=100&to=100", "from=200&to=100", "step=7", "step=0", "step=ten", "from=yesterday",
        "metric=cpu,bogus", "from=0&to=1000000000&step=10")) {
      HttpResponse<String> refused = endpoint.get("/api/admin/hosts/" + NODE + "/metrics?" + query);
      assertThat(refused.statusCode()).as(query).isEqualTo(400);
      assertThat(AdminEndpoint.errorCode(refused)).as(query).isEqualTo("InvalidParameterValue");
      assertThat(refused.body()).doesNotContain("Exception");
    }
  }

  private static String login(String account) throws Exception {
    HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/api/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("account", account, "password", PASSWORD))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("set-cookie").orElseThrow();
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private static HttpResponse<String> asSession(String token, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve(path))
        .header("cookie", SessionCallers.SESSION_COOKIE + "=" + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
