package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.deploy.process.CloudFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy status}: the whole cloud at a glance. Controllers (their lease view: holder,
 * epoch, time left, reachable acceptors; and whether they are ready), storage, and the enrolled
 * node agents. Reads {@code DATA/endpoints.json} of a cloud in a box, or a local cluster's
 * {@code cluster.json}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the controllers (lease holder, epoch), storage and node agents of a running cloud.")
public final class StatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Option(names = "--data", description = "The cloud's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data")
  Path data;

  @Option(names = "--cluster", description = "A local cluster's cluster.json (deploy/local-cluster) instead of DATA/endpoints.json.")
  Path cluster;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Override
  public Integer call() {
    return AccountCommand.run(() -> {
      List<Map<String, String>> controllers = new ArrayList<>();
      List<Map<String, String>> storage = new ArrayList<>();
      if (cluster != null) {
        JsonNode c = JSON.readTree(cluster.toFile());
        c.path("controllers").forEach(e -> controllers.add(asMap(e)));
        c.path("storage").forEach(e -> storage.add(asMap(e)));
      } else {
        Map<String, String> endpoints = new CloudFiles(data).readEndpoints()
            .orElseThrow(() -> new AccountCommand.UsageError("no running cloud found: " + new CloudFiles(data).endpoints() + " is missing"));
        // The cloud in a box is every role in one process.
        controllers.add(endpoints);
        storage.add(endpoints);
      }
      System.out.println("CONTROLLERS");
      System.out.printf("%-6s %-8s %-6s %-11s %-10s %-6s %s%n", "ID", "LEASE", "EPOCH", "REMAINING", "ACCEPTORS", "READY", "EC2");
      for (Map<String, String> c : controllers) {
        JsonNode lease = getJson(c.get("lease"));
        String holder = lease == null ? "?" : lease.path("holder").isNull() ? "none" : lease.path("holder").asText();
        String id = c.getOrDefault("id", holder);
        System.out.printf("%-6s %-8s %-6s %-11s %-10s %-6s %s%n", id,
            lease == null ? "unreachable" : holder.equals(id) ? "holder" : "follower",
            lease == null ? "-" : lease.path("epoch").asText("-"),
            lease == null || lease.path("remainingMs").isNull() ? "-" : lease.path("remainingMs").asText() + " ms",
            lease == null ? "-" : lease.path("acceptors").toString(),
            ready(c.get("management")), c.getOrDefault("ec2", "-"));
      }
      System.out.println();
      System.out.println("STORAGE");
      System.out.printf("%-6s %-12s %-9s %-36s %s%n", "NODE", "PARTITIONS", "HANDOFFS", "INTERNAL", "RIAK");
      for (Map<String, String> s : storage) {
        // Ring ownership and handoffs from the node's Riak /stats (plain HTTP on loopback; a TLS bind answers "-").
        JsonNode stats = s.containsKey("riak") && s.get("riak").startsWith("http:") ? getJson(s.get("riak") + "/stats") : null;
        System.out.printf("%-6s %-12s %-9s %-36s %s%n",
            stats == null ? s.getOrDefault("id", "?") : stats.path("nodename").asText(),
            stats == null ? "-" : stats.path("partitions_owned").asText() + "/" + stats.path("ring_num_partitions").asText(),
            stats == null ? "-" : stats.path("handoffs_pending").asText(),
            s.getOrDefault("kv", "-"), s.getOrDefault("riak", "-"));
      }
      System.out.println();
      System.out.println("NODES");
      NodesCommand nodes = new NodesCommand();
      // A local cluster keeps the admin key beside cluster.json; any controller that answers will do.
      nodes.data = cluster != null ? cluster.toAbsolutePath().getParent() : data;
      if (cluster != null) {
        controllers.stream().filter(c -> c.containsKey("console") && !"-".equals(ready(c.get("management"))) && !"down".equals(ready(c.get("management"))))
            .findFirst().ifPresent(c -> nodes.endpoint = URI.create(c.get("console")));
      }
      return nodes.call();
    });
  }

  private static Map<String, String> asMap(JsonNode node) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }

  private JsonNode getJson(String url) {
    if (url == null) {
      return null;
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String ready(String management) {
    if (management == null) {
      return "?";
    }
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(management + "/readyz")).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? "yes" : "no";
    } catch (IOException e) {
      return "down";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
