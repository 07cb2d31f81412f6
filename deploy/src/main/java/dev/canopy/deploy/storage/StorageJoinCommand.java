package dev.canopy.deploy.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.deploy.Causes;
import dev.canopy.deploy.config.StorageNodeList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code canopy storage join}: adds a storage node, started alone, to the ring of the member reached. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description = {"Add a storage node to the replicated store's ring. Start the new node first, alone (canopy storage --id ID"
        + " --bind ADDRESS ... without --storage-nodes, on a new data folder); the member reached checks it answers as ID on its"
        + " peer port at ADDRESS, makes the new ring and spreads it; partitions then hand off while reads and writes go on.",
        "Exit codes: 0 joined, 1 refused or unreachable (nothing changed), 2 bad usage."})
public final class StorageJoinCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  RingClient client;

  @Option(names = "--node", required = true, paramLabel = "ID=ADDRESS",
      description = "The node to add: its storage id and the address its peer port listens on (the peer port is the same on every node).")
  String node;

  @Override
  public Integer call() {
    Map.Entry<String, String> joining;
    try {
      joining = StorageNodeList.parse(List.of(node)).entrySet().iterator().next();
    } catch (IllegalArgumentException e) {
      System.err.println("canopy storage join: --node takes ID=ADDRESS, not '" + node + "'");
      return 2;
    }
    try {
      String body = JSON.createObjectNode().put("node", joining.getKey()).put("address", joining.getValue()).toString();
      return RingClient.report("join", client.postChange("/canopy/ring/join", body));
    } catch (IllegalArgumentException e) {
      System.err.println("canopy storage join: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("canopy storage join: " + client.via + " does not answer: " + Causes.describe(e));
      return 1;
    }
  }
}
