package dev.canopy.deploy.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.canopy.core.time.SystemTime;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code canopy storage join} and {@code leave} reach a member: its Riak HTTP listener's
 * {@code /canopy/ring} routes, with the administrator's access key as HTTP basic credentials when
 * given (a listener off loopback asks for them; on loopback none are needed). A picocli mixin: the
 * options are the same on both commands.
 */
final class RingClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A join waits for the new node's answer over the peer port and the ring's spread: seconds, not minutes. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final int CHANGE_ATTEMPTS_MAX = 5;
  private static final Duration CHANGE_RETRY_PAUSE = Duration.ofSeconds(1);

  @Option(names = "--via", required = true, paramLabel = "URL",
      description = "The Riak HTTP URL of any member of the ring (its endpoints.json 'riak'), e.g. http://127.0.0.1:8098.")
  URI via;

  @Option(names = "--access-key", description = "The administrator's access key id, for a listener that asks for credentials.")
  String accessKey;

  @Option(names = "--secret-key", description = "The administrator's secret key (with --access-key).")
  String secretKey;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Read the administrator's key from DIR/admin/credentials (canopy init's --dir) instead of --access-key/--secret-key.")
  Path data;

  /** A ring route's answer: its status and JSON body. */
  record Reply(int status, JsonNode body) {}

  /**
   * Posts a ring change, asking again when the member answers that the ring changed meanwhile
   * (409 "ask again": another change, or bucket properties the object store sets, landed while
   * this one was checked; nothing was changed), a few times, a second apart.
   */
  Reply postChange(String path, String json) throws IOException, InterruptedException {
    Reply reply = post(path, json);
    for (int attempt = 1; attempt < CHANGE_ATTEMPTS_MAX && isAskAgain(reply); attempt++) {
      SystemTime.INSTANCE.sleep(CHANGE_RETRY_PAUSE);
      reply = post(path, json);
    }
    return reply;
  }

  private static boolean isAskAgain(Reply reply) {
    return reply.status() == 409 && reply.body().path("message").asText("").contains("ask again");
  }

  Reply post(String path, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(via.resolve(path)).timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    credentials().ifPresent(admin -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        (admin.accessKeyId() + ":" + admin.secretAccessKey()).getBytes(StandardCharsets.UTF_8))));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = JSON.createObjectNode().put("message", response.body().strip());
    }
    return new Reply(response.statusCode(), body == null ? JSON.createObjectNode() : body);
  }

  private Optional<Credential> credentials() throws IOException {
    if (accessKey != null || secretKey != null) {
      if (accessKey == null || secretKey == null) {
        throw new IllegalArgumentException("give both --access-key and --secret-key");
      }
      return Optional.of(new Credential(accessKey, secretKey, IdentityService.ADMIN_ACCOUNT_ID));
    }
    if (data == null) {
      return Optional.empty();
    }
    CloudFiles files = new CloudFiles(data);
    return Optional.of(CloudFiles.readProfile(files.adminCredentials(), CloudFiles.ADMIN_PROFILE, IdentityService.ADMIN_ACCOUNT_ID)
        .orElseThrow(() -> new IllegalArgumentException("no administrator credentials in " + files.adminCredentials())));
  }

  /** Prints the new ring (members, addresses, partitions) or the refusal; the exit code: 0, 1 refused, 2 usage. */
  static int report(String command, Reply reply) {
    if (reply.status() == 200) {
      JsonNode ring = reply.body();
      System.out.printf("canopy storage %s: ring version %d, %d partitions%n", command, ring.path("version").asLong(),
          ring.path("partitions").asInt());
      System.out.printf("%-8s %-40s %s%n", "NODE", "ADDRESS", "PARTITIONS");
      for (JsonNode member : ring.path("members")) {
        System.out.printf("%-8s %-40s %d%n", member.path("id").asText(), member.path("address").asText("-"),
            member.path("partitions_owned").asInt());
      }
      System.out.println("canopy storage " + command + ": partitions hand off now; 'canopy status' shows the handoffs pending");
      return 0;
    }
    System.err.printf("canopy storage %s: %s (HTTP %d): %s%n", command, reply.body().path("error").asText("refused"),
        reply.status(), reply.body().path("message").asText(""));
    return reply.status() == 400 ? 2 : 1;
  }
}
