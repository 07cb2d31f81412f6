package dev.canopy.cloud.compute;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.Command;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Builds commands (fresh id, the current epoch) and sends them; a transport failure becomes a
 * refused ack, so callers handle one kind of "did not take effect".
 */
final class CommandSender {

  private static final ObjectMapper JSON = AgentJson.MAPPER;

  private final NodeCommands commands;
  private final Leadership leadership;
  private final ResourceIds ids;
  private final Duration timeout;

  CommandSender(NodeCommands commands, Leadership leadership, ResourceIds ids, Duration timeout) {
    this.commands = commands;
    this.leadership = leadership;
    this.ids = ids;
    this.timeout = timeout;
  }

  CompletionStage<Ack> send(String nodeId, String type, Object payload) {
    Command command = new Command(ids.next("cmd"), leadership.epoch(), type, JSON.valueToTree(payload));
    return commands.send(nodeId, command, timeout).handle((ack, failure) -> failure == null && ack != null
        ? ack
        : new Ack(command.id(), false, "Unreachable", failure == null ? "no ack" : failure.toString(), 0, null));
  }

  /** Payload of the commands that name only the instance. */
  record InstanceRef(String instanceId) {}

  /** Payload of stopInstance. */
  record StopRef(String instanceId, boolean force) {}
}
