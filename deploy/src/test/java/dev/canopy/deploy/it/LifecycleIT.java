package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Start-up, files, management endpoints, clean stop, and the start-up refusals. */
// Alone: after a restart of the cloud in a box, commands have been seen not to reach its node
// agent when the machine is loaded (not explained yet; the closing note of issue 17 says so).
@Isolated
class LifecycleIT {

  @TempDir Path dir;

  @Test
  void firstStartWritesItsFilesAndServesManagement() throws Exception {
    Path data = dir.resolve("data");
    try (CanopyProcess canopy = CanopyProcess.start(data)) {
      System.out.printf("canopy dev ready in %.2f s%n", canopy.readySeconds());
      for (String file : List.of("identity/master.key", "admin/credentials", "aws/credentials", "aws/config")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file)))).as(file).isEqualTo("rw-------");
      }
      assertThat(Files.readString(data.resolve("aws/config"))).contains("[profile canopy]").contains("region = canopy-1");
      for (String name : List.of("ec2", "s3", "console", "management")) {
        assertThat(canopy.endpoint(name)).startsWith("http://127.0.0.1:");
      }
      HttpClient http = HttpClient.newHttpClient();
      String management = canopy.endpoint("management");
      assertThat(get(http, management + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(http, management + "/readyz").statusCode()).isEqualTo(200);
      // One EC2 call, so the request metrics exist.
      AwsCli.run(canopy, "ec2", "ec2", "describe-availability-zones").assertOk();
      HttpResponse<String> metrics = get(http, management + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("canopy_ec2_requests");

      // The secret never reaches the log.
      String secret = TenantClients.firstTenant(canopy).secretAccessKey();
      assertThat(canopy.log()).doesNotContain(secret);

      int exit = canopy.stop();
      assertThat(exit).isIn(0, 143);
      assertThat(canopy.log()).contains("canopy dev: stopped");
      assertThat(data.resolve("endpoints.json")).doesNotExist();

      // Secrets are sealed before they reach the grid's durable store: no store file holds one.
      byte[] secretBytes = secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try (var files = Files.walk(data.resolve("storage/store"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(indexOf(Files.readAllBytes(file), secretBytes)).as("secret in %s", file).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void everyStartLeadsUnderANewerEpochAndTheNodeAgentHoldsIt() throws Exception {
    Path data = dir.resolve("epochs");
    HttpClient http = HttpClient.newHttpClient();
    long first;
    try (CanopyProcess canopy = CanopyProcess.start(data)) {
      first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(http, canopy.endpoint("lease")).body()).path("epoch").asLong();
      assertThat(first).isPositive();
      canopy.restart();
      var lease = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(http, canopy.endpoint("lease")).body());
      assertThat(lease.path("holder").asInt()).isEqualTo(1);
      assertThat(lease.path("epoch").asLong()).as("a fresh acquisition mints above the last epoch").isGreaterThan(first);
      // The agent hears the new epoch before its first command, and keeps it on disk.
      AwsCli.run(canopy, "ec2", "ec2", "run-instances", "--image-id",
          AwsCli.run(canopy, "ec2", "ec2", "describe-images", "--filters", "Name=name,Values=canopy-tiny",
              "--query", "Images[0].ImageId", "--output", "text").assertOk().stdout().trim(),
          "--instance-type", "t3.micro").assertOk();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
          Files.readString(data.resolve("node/leadership-epoch")).trim().equals(Long.toString(lease.path("epoch").asLong())));
    }
  }

  @Test
  void aForeignMasterKeyStopsStartUp() throws Exception {
    Path data = dir.resolve("data");
    CanopyProcess.start(data).close();
    byte[] other = new byte[32];
    String foreign = Base64.getEncoder().encodeToString(other);
    var env = Map.of("CANOPY_MASTER_KEY", foreign);
    ProcessBuilder builder = new ProcessBuilder(CanopyProcess.javaCommand("dev", "--data", data.toString(), "--ec2-port", "0", "--s3-port", "0", "--console-port", "0", "--management-port", "0", "--agent-port", "0", "--riak-port", "0"))
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process refused = builder.start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isNotZero();
    assertThat(new String(refused.getInputStream().readAllBytes())).contains("master key does not belong to this cloud");
  }

  @Test
  void aBadConfigKeyStopsStartUpNamingIt() throws Exception {
    Path config = dir.resolve("canopy.yaml");
    Files.writeString(config, "region: canopy-1\nports:\n  ec3: 1\n");
    Process process = new ProcessBuilder(CanopyProcess.javaCommand("dev", "--data", dir.resolve("data").toString(), "--config", config.toString()))
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getInputStream().readAllBytes())).contains("config key 'ports.ec3'");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
