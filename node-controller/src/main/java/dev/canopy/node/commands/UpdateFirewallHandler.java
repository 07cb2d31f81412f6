package dev.canopy.node.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import java.io.IOException;

/**
 * {@code updateFirewall}: replaces an instance's host firewall after its security groups changed.
 * Idempotent (the newest definition wins), and fine for an instance that is stopped: the filter
 * applies when its interface comes back.
 */
public final class UpdateFirewallHandler implements CommandHandler {

  private static final ObjectMapper JSON = AgentJson.MAPPER;

  private final GuestNics nics;

  public UpdateFirewallHandler(GuestNics nics) {
    this.nics = nics;
  }

  @Override
  public String type() {
    return CommandTypes.UPDATE_FIREWALL;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> update(command));
  }

  private Ack update(Command command) {
    String id = Payloads.instanceId(command);
    JsonNode node = command.payload().get("firewall");
    Firewall firewall;
    try {
      firewall = node == null || !node.isObject() ? null : JSON.treeToValue(node, Firewall.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidPayloadException("payload.firewall is not a firewall: " + e.getMessage());
    }
    if (firewall == null) {
      throw new InvalidPayloadException("payload.firewall is required");
    }
    try {
      nics.updateFirewall(id, firewall);
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException(e.getMessage());
    } catch (IOException e) {
      return Acks.failed(command, Acks.NETWORK_ERROR, "cannot update the firewall: " + e.getMessage());
    }
    return Acks.ok(command, id, "updated");
  }
}
