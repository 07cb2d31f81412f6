package dev.canopy.node.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.InstanceSpec;
import java.util.regex.Pattern;

/** Reads and checks command payloads; anything wrong is an {@link InvalidPayloadException}. */
final class Payloads {

  private static final ObjectMapper JSON = AgentJson.MAPPER;
  /** A unicast MAC (the low bit of the first octet clear), as libvirt writes them. */
  private static final Pattern MAC = Pattern.compile("[0-9a-f][02468ace](:[0-9a-f]{2}){5}");
  /** Bounds well above any instance type, so a corrupt payload cannot ask for absurd resources. */
  private static final int VCPUS_MAX = 1_024;
  private static final int MEMORY_MIB_MAX = 16 * 1024 * 1024;
  private static final int DISK_GIB_MAX = 64 * 1024;

  private Payloads() {}

  static String instanceId(Command command) {
    JsonNode id = payload(command).get("instanceId");
    if (id == null || !id.isTextual() || !InstanceFiles.isInstanceId(id.asText())) {
      throw new InvalidPayloadException("payload.instanceId must be an instance id (i-...)");
    }
    return id.asText();
  }

  static boolean flag(Command command, String name) {
    JsonNode value = payload(command).get(name);
    return value != null && value.asBoolean(false);
  }

  static InstanceSpec spec(Command command) {
    InstanceSpec spec;
    try {
      spec = JSON.treeToValue(payload(command), InstanceSpec.class);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("payload is not an instance spec: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException("payload is not an instance spec: " + e.getMessage());
    }
    if (!InstanceFiles.isInstanceId(spec.instanceId())) {
      throw new InvalidPayloadException("instanceId must be an instance id (i-...)");
    }
    if (spec.accountId() == null || spec.accountId().isBlank()) {
      throw new InvalidPayloadException("accountId is required");
    }
    within("vcpus", spec.vcpus(), VCPUS_MAX);
    within("memoryMib", spec.memoryMib(), MEMORY_MIB_MAX);
    within("rootDiskGib", spec.rootDiskGib(), DISK_GIB_MAX);
    if (spec.macAddress() == null || !MAC.matcher(spec.macAddress()).matches()) {
      throw new InvalidPayloadException("macAddress must be a lower-case unicast MAC (52:54:00:..)");
    }
    return spec;
  }

  private static void within(String field, int value, int max) {
    if (value < 1 || value > max) {
      throw new InvalidPayloadException(field + " must be in 1.." + max + ", was " + value);
    }
  }

  private static JsonNode payload(Command command) {
    if (command.payload() == null || !command.payload().isObject()) {
      throw new InvalidPayloadException("payload must be a JSON object");
    }
    return command.payload();
  }
}
