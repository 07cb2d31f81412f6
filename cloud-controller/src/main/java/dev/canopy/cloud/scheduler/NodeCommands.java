package dev.canopy.cloud.scheduler;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Sends a command to one node agent; the agent transport implements it. Promises neither
 * delivery nor ordering: the stage completes with the agent's {@link Ack}, or exceptionally — at
 * once with {@link NodeUnreachableException} when the node has no session, or with a
 * {@link java.util.concurrent.TimeoutException} after {@code timeout} (the command may still take
 * effect; command ids make a retry safe). Callers treat a refused ack and an exceptional
 * completion alike: "did not take effect, as far as we know".
 */
@FunctionalInterface
public interface NodeCommands {

  CompletionStage<Ack> send(String nodeId, Command command, Duration timeout);

  /** The node has no session with this controller (never connected, or the session ended). */
  final class NodeUnreachableException extends RuntimeException {
    public NodeUnreachableException(String message) {
      super(message, null, false, false);
    }
  }
}
