package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainPlan;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.DomainXml;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.NicAttachment;
import dev.canopy.node.hypervisor.VirtType;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code runInstance}: provisions the root disk, defines the domain and starts it.
 *
 * <p>Idempotent, because the controller re-drives (and StartInstances sends the full spec): a
 * running domain is left alone; a shut-off one is defined again from the spec (same disk, same
 * address, a fresh seed) and started. A failed start leaves the domain defined rather than rolling back:
 * after a timeout the start may in fact have happened, and a retry or terminate settles it.
 */
public final class RunInstanceHandler implements CommandHandler {

  private final Hypervisor hypervisor;
  private final NodeIdentity node;
  private final Supplier<VirtType> virtType;
  private final GuestNics nics;
  private final InstanceFiles files;
  private final DiskProvisioner disks;

  /** @param virtType read at each launch: a background probe may switch it to KVM (VirtTypeChoice) */
  public RunInstanceHandler(Hypervisor hypervisor, NodeIdentity node, Supplier<VirtType> virtType, GuestNics nics,
      InstanceFiles files, DiskProvisioner disks) {
    this.hypervisor = hypervisor;
    this.node = node;
    this.virtType = virtType;
    this.nics = nics;
    this.files = files;
    this.disks = disks;
  }

  @Override
  public String type() {
    return CommandTypes.RUN_INSTANCE;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> run(command));
  }

  private Ack run(Command command) {
    InstanceSpec spec = Payloads.spec(command);
    String id = spec.instanceId();
    Optional<DomainSummary> existing = hypervisor.find(id);
    if (existing.isPresent()) {
      if (!existing.get().ownedBy(node.nodeId())) {
        return Acks.failed(command, Acks.DOMAIN_CONFLICT,
            "a domain named " + id + " exists on this hypervisor but was not defined by this node");
      }
      DomainState state = existing.get().state();
      if (state != DomainState.SHUTOFF && state != DomainState.CRASHED) {
        return answer(command, id, state);
      }
      // Shut off: defined again from this spec before it starts, so a type or user-data change
      // made while the instance was stopped takes effect (the disk is kept, the seed rebuilt).
    }
    NicAttachment nic;
    try {
      // First: the address names the guest (its hostname on the seed) and pins its filter.
      nic = nics.attach(spec);
    } catch (IOException e) {
      return Acks.failed(command, Acks.NETWORK_ERROR, "cannot plug the instance in: " + e.getMessage());
    }
    ProvisionedDisk disk;
    try {
      disk = disks.provision(spec, files);
    } catch (IOException e) {
      return Acks.failed(command, Acks.DISK_ERROR, "cannot provision the root disk: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // A value the disk or seed cannot take (user data, key, image digest): the payload's fault.
      throw new InvalidPayloadException(e.getMessage());
    }
    String xml;
    try {
      xml = DomainXml.render(new DomainPlan(node.nodeId(), virtType.get(), spec, disk.rootDisk(), disk.format(),
          disk.kernel(), disk.initrd(), disk.kernelCmdline(), files.consoleLog(id), nic, disk.seedIso()));
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException(e.getMessage());
    }
    hypervisor.define(xml);
    hypervisor.start(id);
    return answer(command, id, hypervisor.state(id));
  }

  /** The private address goes back with the ack, so DescribeInstances shows it as EC2 does. */
  private Ack answer(Command command, String id, DomainState state) {
    return Acks.ok(command, id, state.wireName(), nics.addressOf(id).orElse(null));
  }
}
