package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.util.concurrent.atomic.AtomicInteger;

/** Specs and commands for handler tests. */
final class Fixtures {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger COMMANDS = new AtomicInteger();

  private Fixtures() {}

  static InstanceSpec spec(String instanceId) {
    return new InstanceSpec(instanceId, "111122223333", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0", null, null,
        "52:54:00:00:00:01", null, null);
  }

  static Command run(InstanceSpec spec, long epoch) {
    return command(CommandTypes.RUN_INSTANCE, epoch, JSON.valueToTree(spec));
  }

  static Command on(String type, String instanceId, long epoch) {
    ObjectNode payload = JSON.createObjectNode().put("instanceId", instanceId);
    return command(type, epoch, payload);
  }

  static Command forceStop(String instanceId, long epoch) {
    ObjectNode payload = JSON.createObjectNode().put("instanceId", instanceId).put("force", true);
    return command(CommandTypes.STOP_INSTANCE, epoch, payload);
  }

  static Command command(String type, long epoch, JsonNode payload) {
    return new Command("cmd-" + COMMANDS.incrementAndGet(), epoch, type, payload);
  }
}
