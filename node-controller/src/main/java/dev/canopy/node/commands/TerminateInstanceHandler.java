package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code terminateInstance}: destroys the domain if it runs, undefines it and deletes the
 * instance's files. Idempotent: an instance this node does not have is already terminated (and a
 * same-named domain of another node is left alone).
 */
public final class TerminateInstanceHandler implements CommandHandler {

  private final Hypervisor hypervisor;
  private final OwnedDomains owned;
  private final InstanceFiles files;
  private final GuestNics nics;
  private final DiskProvisioner disks;

  public TerminateInstanceHandler(Hypervisor hypervisor, NodeIdentity node, InstanceFiles files, GuestNics nics,
      DiskProvisioner disks) {
    this.hypervisor = hypervisor;
    this.owned = new OwnedDomains(hypervisor, node);
    this.files = files;
    this.nics = nics;
    this.disks = disks;
  }

  @Override
  public String type() {
    return CommandTypes.TERMINATE_INSTANCE;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> terminate(command));
  }

  private Ack terminate(Command command) {
    String id = Payloads.instanceId(command);
    Optional<DomainSummary> domain = owned.find(id);
    if (domain.isPresent()) {
      if (domain.get().state().isActive()) {
        ignoring(HypervisorException.Kind.INVALID_STATE, () -> hypervisor.destroy(id));
      }
      ignoring(HypervisorException.Kind.NO_DOMAIN, () -> hypervisor.undefine(id));
    }
    try {
      // After the domain is gone: libvirt refuses to remove a filter a running interface uses.
      nics.detach(id);
    } catch (IOException e) {
      return Acks.failed(command, Acks.NETWORK_ERROR, "domain removed but its address was not freed: " + e.getMessage());
    }
    try {
      files.delete(id);
    } catch (IOException e) {
      return Acks.failed(command, Acks.DISK_ERROR, "domain removed but its files were not: " + e.getMessage());
    }
    try {
      // Only once the overlay is gone may its base image be evicted from the image cache.
      disks.release(id);
    } catch (IOException e) {
      return Acks.failed(command, Acks.DISK_ERROR, "files removed but the image was not released: " + e.getMessage());
    }
    return Acks.ok(command, id, "terminated");
  }

  /** Runs a call whose failure of this kind means a concurrent change already did the work. */
  private static void ignoring(HypervisorException.Kind kind, Runnable call) {
    try {
      call.run();
    } catch (HypervisorException e) {
      if (e.kind() != kind) {
        throw e;
      }
    }
  }
}
