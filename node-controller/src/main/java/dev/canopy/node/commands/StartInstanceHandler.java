package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.util.Optional;

/** {@code startInstance}: boots a shut-off domain of this node; already running is success. */
public final class StartInstanceHandler implements CommandHandler {

  private final Hypervisor hypervisor;
  private final OwnedDomains owned;

  public StartInstanceHandler(Hypervisor hypervisor, NodeIdentity node) {
    this.hypervisor = hypervisor;
    this.owned = new OwnedDomains(hypervisor, node);
  }

  @Override
  public String type() {
    return CommandTypes.START_INSTANCE;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> start(command));
  }

  private Ack start(Command command) {
    String id = Payloads.instanceId(command);
    Optional<DomainSummary> domain = owned.find(id);
    if (domain.isEmpty()) {
      return Acks.failed(command, Acks.NO_SUCH_DOMAIN, "no domain " + id + " on this node");
    }
    DomainState state = domain.get().state();
    if (state == DomainState.RUNNING) {
      return Acks.ok(command, id, state);
    }
    if (state != DomainState.SHUTOFF && state != DomainState.CRASHED) {
      return Acks.failed(command, Acks.INCORRECT_STATE, id + " is " + state.wireName() + ", not shut off");
    }
    hypervisor.start(id);
    return Acks.ok(command, id, hypervisor.state(id));
  }
}
