package dev.canopy.node.commands;

import dev.canopy.core.time.Time;
import dev.canopy.node.epoch.EpochStore;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.LibvirtHypervisor;
import dev.canopy.node.hypervisor.VirtTypeChoice;
import java.util.List;

/**
 * The agent's hypervisor side, wired from settings: what the agent runtime holds. Owns the
 * hypervisor connection and closes it.
 *
 * <pre>{@code
 * NodeCompute compute = NodeCompute.open(NodeSettings.defaults(nodeId, dataDir),
 *     HypervisorSettings.defaults("qemu:///system"));
 * Ack ack = compute.dispatcher().dispatch(command);          // on a worker thread
 * List<DomainReport> domains = compute.inventory().domains(); // for heartbeats
 * }</pre>
 */
public final class NodeCompute implements AutoCloseable {

  private final Hypervisor hypervisor;
  private final EpochStore epochs;
  private final CommandDispatcher dispatcher;
  private final DomainInventory inventory;
  private final VirtTypeChoice virtType;

  private NodeCompute(Hypervisor hypervisor, EpochStore epochs, CommandDispatcher dispatcher, DomainInventory inventory,
      VirtTypeChoice virtType) {
    this.hypervisor = hypervisor;
    this.virtType = virtType;
    this.epochs = epochs;
    this.dispatcher = dispatcher;
    this.inventory = inventory;
  }

  /**
   * Connects to libvirt (bounded) and wires the handlers with the sparse-disk provisioner; NICs go
   * to the configured network or bridge, unmanaged.
   */
  public static NodeCompute open(NodeSettings settings, HypervisorSettings hypervisorSettings, Time time) {
    Hypervisor hypervisor = LibvirtHypervisor.connect(hypervisorSettings);
    try {
      return wire(settings, hypervisor,
          new SparseDiskProvisioner(settings.kernel(), settings.initrd(), settings.kernelCmdline()),
          GuestNics.unmanaged(settings.nic()), time);
    } catch (RuntimeException e) {
      hypervisor.close();
      throw e;
    }
  }

  /** Wires around any hypervisor with unmanaged NICs; takes ownership of it. */
  public static NodeCompute wire(NodeSettings s, Hypervisor hypervisor, DiskProvisioner disks, Time time) {
    return wire(s, hypervisor, disks, GuestNics.unmanaged(s.nic()), time);
  }

  /** Wires around any hypervisor (a {@code FakeHypervisor} in simulations); takes ownership of it. */
  public static NodeCompute wire(NodeSettings s, Hypervisor hypervisor, DiskProvisioner disks, GuestNics nics, Time time) {
    return wire(s, hypervisor, disks, nics, time, VirtTypeChoice.fixed(s.virtType()));
  }

  /** As above, guests getting the type {@code virtType} holds at each launch; takes ownership of it too. */
  public static NodeCompute wire(NodeSettings s, Hypervisor hypervisor, DiskProvisioner disks, GuestNics nics, Time time,
      VirtTypeChoice virtType) {
    NodeIdentity node = s.identity();
    InstanceFiles files = new InstanceFiles(s.dataDir());
    EpochStore epochs = EpochStore.open(s.dataDir());
    CommandDispatcher dispatcher = new CommandDispatcher(epochs, List.of(
        new RunInstanceHandler(hypervisor, node, virtType, nics, files, disks),
        new StartInstanceHandler(hypervisor, node),
        new StopInstanceHandler(hypervisor, node, s.stopTimeout(), s.stopPollInterval(), time),
        new RebootInstanceHandler(hypervisor, node),
        new TerminateInstanceHandler(hypervisor, node, files, nics, disks),
        new UpdateFirewallHandler(nics),
        new GetConsoleOutputHandler(files),
        new AnnounceEpochHandler()),
        CommandDispatcher.DEFAULT_RECENT_COMMANDS);
    return new NodeCompute(hypervisor, epochs, dispatcher, DomainInventory.of(hypervisor, s), virtType);
  }

  public CommandDispatcher dispatcher() {
    return dispatcher;
  }

  public DomainInventory inventory() {
    return inventory;
  }

  public Hypervisor hypervisor() {
    return hypervisor;
  }

  /** The newest leadership epoch seen, for heartbeats and logs. */
  public long heldEpoch() {
    return epochs.held();
  }

  @Override
  public void close() {
    // A probe still running removes its domain through the connection: before it closes.
    virtType.close();
    hypervisor.close();
  }
}
