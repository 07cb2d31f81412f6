package dev.canopy.deploy.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.deploy.Causes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code canopy storage leave}: removes a storage node from the ring; it hands its partitions off while it keeps serving. */
@Command(
    name = "leave",
    mixinStandardHelpOptions = true,
    description = {"Remove a running storage node from the replicated store's ring. It hands every partition it holds to the new"
        + " owners while it keeps serving; stop it once its handoffs pending are 0 (canopy status, or its Riak /stats)."
        + " Restarted afterwards, it refuses to serve: it is no longer a member. The last member cannot leave.",
        "Exit codes: 0 left, 1 refused or unreachable (nothing changed), 2 bad usage."})
public final class StorageLeaveCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  RingClient client;

  @Option(names = "--node", required = true, paramLabel = "ID", description = "The storage id of the node to remove.")
  String node;

  @Override
  public Integer call() {
    try {
      return RingClient.report("leave", client.postChange("/canopy/ring/leave", JSON.createObjectNode().put("node", node).toString()));
    } catch (IllegalArgumentException e) {
      System.err.println("canopy storage leave: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("canopy storage leave: " + client.via + " does not answer: " + Causes.describe(e));
      return 1;
    }
  }
}
