package dev.canopy.cloud.scheduler;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Sends a command to one node agent. Promises neither delivery nor ordering: the stage
 * completes with the agent's ack, or exceptionally (timeout, node gone); callers treat both a
 * refused ack and an exceptional completion as "did not take effect (as far as we know)".
 */
@FunctionalInterface
public interface NodeCommands {

  CompletionStage<Ack> send(String nodeId, Command command, Duration timeout);
}
