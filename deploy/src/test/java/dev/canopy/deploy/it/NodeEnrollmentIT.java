package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second node agent, as its own {@code canopy node} process, enrolls in a running {@code canopy
 * dev} with a one-time token and shows up in {@code canopy nodes}; the token does not work twice;
 * the node list is for the administrator only; the agent stops on SIGTERM.
 */
class NodeEnrollmentIT {

  private static final Duration AVAILABLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern NODE_ID = Pattern.compile("nd-[0-9a-f]{16}");

  @TempDir static Path dir;
  static CanopyProcess canopy;
  /** Every process this class starts, so none outlives it. */
  static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (Process process : started) {
        if (process.isAlive()) {
          process.destroy();
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
    } finally {
      if (canopy != null) {
        canopy.close();
      }
    }
  }

  /** One row of {@code canopy nodes}. */
  record Row(String nodeId, String host, String zone, String state, String vcpus, String memory, String domains, String lastHeartbeat) {}

  @Test
  void aSeparateNodeEnrollsOnceWithItsToken() throws Exception {
    String data = canopy.data().toString();
    CanopyCli.Result token = CanopyCli.run(dir, "token", "create", "--data", data);
    assertThat(token.exit()).as(token.stderr()).isZero();
    String tokenText = token.stdout().strip();
    assertThat(tokenText).startsWith("canopy1.");

    // Only the dev process's own node so far.
    List<Row> before = nodes();
    assertThat(before).hasSize(1);
    String devNode = before.get(0).nodeId();

    Path node2Log = dir.resolve("node2.log");
    Process node2 = startNode(tokenText, dir.resolve("node2"), node2Log);
    List<Row> rows = awaitAvailable(2, node2, node2Log);
    String node2Id = nodeIdFrom(node2Log);
    assertThat(rows).extracting(Row::nodeId).containsExactlyInAnyOrder(devNode, node2Id);
    Row second = rows.stream().filter(r -> r.nodeId().equals(node2Id)).findFirst().orElseThrow();
    assertThat(second.zone()).isEqualTo("canopy-1a");
    assertThat(Integer.parseInt(second.vcpus())).isPositive();
    assertThat(second.domains()).isEqualTo("0");
    assertThat(second.lastHeartbeat()).isNotEqualTo("never");
    assertThat(Files.exists(dir.resolve("node2/node.json"))).isTrue();

    // The same token again, from a fresh node: refused, and nothing is written or enrolled.
    Path node3Log = dir.resolve("node3.log");
    Process node3 = startNode(tokenText, dir.resolve("node3"), node3Log);
    try {
      assertThat(node3.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("a refused node agent exits").isTrue();
      String output = Files.readString(node3Log);
      assertThat(node3.exitValue()).as(output).isNotZero();
      assertThat(output).contains("refused enrollment").contains("TokenAlreadyUsed");
    } finally {
      node3.destroyForcibly();
    }
    assertThat(Files.exists(dir.resolve("node3/node.json"))).isFalse();
    assertThat(nodes()).extracting(Row::nodeId).containsExactlyInAnyOrder(devNode, node2Id);
    assertThat(canopy.log()).contains("enrollment refused from").contains("already used");

    // SIGTERM, as a service manager would stop it.
    node2.destroy();
    long stopNanos = System.nanoTime();
    assertThat(node2.waitFor(30, TimeUnit.SECONDS)).as("canopy node stops within 30 s of SIGTERM:\n%s", Files.readString(node2Log)).isTrue();
    System.out.printf("canopy node stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopNanos) / 1e9);
    assertThat(Files.readString(node2Log)).doesNotContain("did not stop cleanly").doesNotContain("did not close cleanly");
    assertThat(canopy.isAlive()).isTrue();
  }

  @Test
  void theNodeListIsTheAdministratorsOnly() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI nodes = URI.create(canopy.endpoint("console") + "/admin/v1/nodes");

    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(nodes).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("AccessDenied");

    Credential tenant = TenantClients.firstTenant(canopy);
    HttpResponse<String> asTenant = http.send(AdminRequests.signedGet(nodes, tenant.accessKeyId(), tenant.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(asTenant.statusCode()).isEqualTo(403);
    assertThat(asTenant.body()).contains("AccessDenied").doesNotContain("nd-");

    // The administrator's key, signed by an independent signer: the documented shape.
    Credential admin = CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE, IdentityService.ADMIN_ACCOUNT_ID)
        .orElseThrow();
    HttpResponse<String> asAdmin = http.send(AdminRequests.signedGet(nodes, admin.accessKeyId(), admin.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(asAdmin.statusCode()).as(asAdmin.body()).isEqualTo(200);
    JsonNode list = new ObjectMapper().readTree(asAdmin.body()).path("nodes");
    assertThat(list.isArray() && list.size() >= 1).as(asAdmin.body()).isTrue();
    for (JsonNode node : list) {
      assertThat(node.path("nodeId").asText()).matches(NODE_ID);
      assertThat(node.path("hostname").isTextual()).isTrue();
      assertThat(node.path("zone").asText()).isEqualTo("canopy-1a");
      assertThat(node.path("state").asText()).isIn("AVAILABLE", "UNAVAILABLE");
      assertThat(node.path("capacity").path("vcpus").canConvertToInt()).isTrue();
      assertThat(node.path("capacity").path("memoryMib").canConvertToLong()).isTrue();
      assertThat(node.path("capacity").path("diskGib").canConvertToLong()).isTrue();
      assertThat(node.path("domains").isInt()).as(node.toString()).isTrue();
      assertThat(node.has("lastHeartbeat")).isTrue();
    }
  }

  @Test
  void statusShowsTheLeaseHolderItsEpochAndTheNodes() throws Exception {
    JsonNode lease = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(canopy.endpoint("lease"))).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(lease.path("holder").asInt()).isEqualTo(1);
    assertThat(lease.path("epoch").asLong()).isPositive();
    assertThat(lease.path("remainingMs").asLong()).isPositive();
    assertThat(lease.path("acceptors").toString()).isEqualTo("[1]");

    CanopyCli.Result status = CanopyCli.run(dir, "status", "--data", canopy.data().toString());
    assertThat(status.exit()).as(status.stderr()).isZero();
    assertThat(status.stdout()).contains("CONTROLLERS", "holder", "STORAGE", "NODES", "AVAILABLE")
        .containsPattern("1\\s+holder\\s+" + lease.path("epoch").asLong() + "\\s");
  }

  @Test
  void nodesHasHelp() throws Exception {
    CanopyCli.Result help = CanopyCli.run(dir, "nodes", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.stdout()).contains("Usage:").contains("canopy nodes").contains("--data");
    assertThat(CanopyCli.run(dir, "--help").stdout()).contains("nodes");
  }

  // ---- helpers ----

  private static Process startNode(String token, Path data, Path log) throws Exception {
    Process process = new ProcessBuilder(CanopyProcess.javaCommand(
            "node", "--controller", canopy.endpoint("agent"), "--token", token, "--data", data.toString(), "--zone", "canopy-1a"))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    started.add(process);
    return process;
  }

  /** Polls {@code canopy nodes} until {@code count} nodes are AVAILABLE (bounded). */
  private static List<Row> awaitAvailable(int count, Process node, Path nodeLog) throws Exception {
    AtomicReference<List<Row>> rows = new AtomicReference<>(List.of());
    try {
      return await()
          .atMost(AVAILABLE_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> {
            assertThat(node.isAlive()).as("canopy node exited early:\n%s", Files.readString(nodeLog)).isTrue();
            rows.set(nodes());
            return rows.get();
          }, r -> r.size() == count && r.stream().allMatch(row -> row.state().equals("AVAILABLE")));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not " + count + " AVAILABLE nodes after " + AVAILABLE_TIMEOUT + ": " + rows.get()
          + "\nnode log:\n" + Files.readString(nodeLog));
    }
  }

  private static List<Row> nodes() throws Exception {
    CanopyCli.Result run = CanopyCli.run(dir, "nodes", "--data", canopy.data().toString());
    assertThat(run.exit()).as(run.stderr()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).isNotEmpty();
    assertThat(lines.get(0)).startsWith("NODE ID").contains("HOST", "ZONE", "STATE", "VCPUS", "MEMORY", "DOMAINS", "LAST HEARTBEAT");
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      assertThat(f).as(line).hasSize(8);
      assertThat(f[0]).as(line).matches(NODE_ID);
      rows.add(new Row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
    }
    return rows;
  }

  private static String nodeIdFrom(Path log) throws Exception {
    Matcher m = Pattern.compile("canopy node: node (" + NODE_ID.pattern() + ")").matcher(Files.readString(log));
    assertThat(m.find()).as("the node id in:\n%s", Files.readString(log)).isTrue();
    return m.group(1);
  }
}
