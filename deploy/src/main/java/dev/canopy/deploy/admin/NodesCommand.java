package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canopy nodes}: the enrolled nodes of a running cloud and their state, from its admin API. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = "List the enrolled nodes of a running cloud (signed with DATA/admin/credentials).")
public final class NodesCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROW = "%-20s %-24s %-12s %-12s %5s %8s %7s  %s%n";

  @Option(names = "--data", description = "The cloud's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data")
  Path data;

  @Option(names = "--endpoint", description = "Console URL (default: the 'console' entry of DATA/endpoints.json).")
  URI endpoint;

  @Override
  public Integer call() {
    return AccountCommand.run(() -> {
      var reply = AccountCommand.clientFor(data, endpoint).send("GET", "/admin/v1/nodes", null);
      int exit = AccountCommand.report(reply, 200);
      if (exit == 0) {
        System.out.printf(ROW, "NODE ID", "HOST", "ZONE", "STATE", "VCPUS", "MEMORY", "DOMAINS", "LAST HEARTBEAT");
        for (JsonNode node : JSON.readTree(reply.body()).path("nodes")) {
          JsonNode capacity = node.path("capacity");
          System.out.printf(ROW,
              node.path("nodeId").asText(),
              node.path("hostname").asText(),
              node.path("zone").asText(),
              node.path("state").asText(),
              capacity.path("vcpus").asText("-"),
              memory(capacity.path("memoryMib")),
              node.path("domains").asText("0"),
              node.path("lastHeartbeat").isTextual() ? node.path("lastHeartbeat").asText() : "never");
        }
      }
      return exit;
    });
  }

  /** The admin API's node list ({@code {"nodes":[...]}}) from {@code console}, signed with {@code data}'s admin key. */
  public static JsonNode fetch(Path data, URI console) throws Exception {
    var reply = AccountCommand.clientFor(data, console).send("GET", "/admin/v1/nodes", null);
    if (reply.status() != 200) {
      throw new IllegalStateException("the controller at " + console + " answered " + reply.status() + " to the node list");
    }
    return JSON.readTree(reply.body());
  }

  /** MiB as the operator reads it: {@code 512M}, {@code 16G}, {@code 1.5G}. */
  static String memory(JsonNode mib) {
    if (!mib.canConvertToLong()) {
      return "-";
    }
    long value = mib.asLong();
    if (value < 1024) {
      return value + "M";
    }
    return value % 1024 == 0 ? value / 1024 + "G" : String.format(java.util.Locale.ROOT, "%.1fG", value / 1024.0);
  }
}
