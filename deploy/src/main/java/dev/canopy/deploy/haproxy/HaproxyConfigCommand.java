package dev.canopy.deploy.haproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy haproxy-config --cluster cluster.json}: an HAProxy configuration for the cluster a
 * {@code cluster.json} describes — {@code local-cluster}'s, or one written for real hosts with the
 * same keys (each controller's {@code id}, {@code ec2}, {@code console}, {@code management}; each
 * storage node's {@code id}, {@code s3}, {@code management}). Exit 0 written, 2 bad input.
 */
@Command(
    name = "haproxy-config",
    mixinStandardHelpOptions = true,
    description = "Write an HAProxy configuration (EC2, S3, console) for the cluster a cluster.json describes.")
public final class HaproxyConfigCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--cluster", required = true, description = "The cluster's cluster.json.")
  Path cluster;

  @Option(names = "--bind", defaultValue = "*", description = "Address HAProxy's frontends listen on (default: every address).")
  String bind;

  @Option(names = "--stats", description = "ADDRESS:PORT for HAProxy's statistics page (/stats, /stats;csv); none unless given.")
  String stats;

  @Option(names = "--output", description = "File to write (default: standard output).")
  Path output;

  @Override
  public Integer call() throws IOException {
    String config;
    try {
      JsonNode c = JSON.readTree(cluster.toFile());
      config = HaproxyConfig.render(HaproxyConfig.Frontends.defaults(bind, stats),
          servers(c, "controllers", "controller", "ec2"), servers(c, "controllers", "controller", "console"),
          servers(c, "storage", "storage", "s3"));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("canopy haproxy-config: " + e.getMessage());
      return 2;
    }
    if (output == null) {
      System.out.print(config);
    } else {
      Files.writeString(output, config, StandardCharsets.UTF_8);
    }
    return 0;
  }

  private static List<Backend> servers(JsonNode cluster, String kind, String prefix, String service) {
    List<Backend> out = new ArrayList<>();
    for (JsonNode e : cluster.path(kind)) {
      String id = e.path("id").asText("");
      String url = e.path(service).asText(null);
      String management = e.path("management").asText(null);
      if (id.isEmpty() || url == null || management == null) {
        throw new IllegalArgumentException(kind + " entry " + e + " lacks id, " + service + " or management");
      }
      out.add(Backend.of(prefix + "-" + id, url, management));
    }
    return out;
  }
}
