package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.util.Optional;

/** {@code rebootInstance}: asks a running guest to reboot; any other state is IncorrectState. */
public final class RebootInstanceHandler implements CommandHandler {

  private final Hypervisor hypervisor;
  private final OwnedDomains owned;

  public RebootInstanceHandler(Hypervisor hypervisor, NodeIdentity node) {
    this.hypervisor = hypervisor;
    this.owned = new OwnedDomains(hypervisor, node);
  }

  @Override
  public String type() {
    return CommandTypes.REBOOT_INSTANCE;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> reboot(command));
  }

  private Ack reboot(Command command) {
    String id = Payloads.instanceId(command);
    Optional<DomainSummary> domain = owned.find(id);
    if (domain.isEmpty()) {
      return Acks.failed(command, Acks.NO_SUCH_DOMAIN, "no domain " + id + " on this node");
    }
    if (domain.get().state() != DomainState.RUNNING) {
      return Acks.failed(command, Acks.INCORRECT_STATE, id + " is " + domain.get().state().wireName() + ", not running");
    }
    hypervisor.reboot(id);
    return Acks.ok(command, id, hypervisor.state(id));
  }
}
