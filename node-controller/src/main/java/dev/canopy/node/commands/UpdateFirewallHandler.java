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
 * applies when its interface comes back. An instance this node does not have (terminated before
 * the update arrived) is NoSuchDomain, and no filter is left for it.
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
    boolean updated;
    try {
      updated = nics.updateFirewall(id, firewall);
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException(e.getMessage());
    } catch (IOException e) {
      return Acks.failed(command, Acks.NETWORK_ERROR, "cannot update the firewall: " + e.getMessage());
    }
    if (!updated) {
      return Acks.failed(command, Acks.NO_SUCH_DOMAIN, "no instance " + id + " on this node's network");
    }
    return Acks.ok(command, id, "updated");
  }
}
