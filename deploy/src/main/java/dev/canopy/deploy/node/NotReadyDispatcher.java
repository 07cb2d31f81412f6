package dev.canopy.deploy.node;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.util.function.Function;

/**
 * Answers every command with ok=false "NotReady": the stand-in until the libvirt command
 * dispatcher is wired into the launcher.
 */
public final class NotReadyDispatcher implements Function<Command, Ack> {

  @Override
  public Ack apply(Command command) {
    return new Ack(command.id(), false, "NotReady", "this agent has no hypervisor driver wired yet", command.epoch(), null);
  }
}
