package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.HostInfo;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.protocol.DomainReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * What heartbeats report: the domains libvirt really runs for this node (only those whose
 * metadata names this node; agents may share a libvirtd) and the node's capacity.
 */
public final class DomainInventory {

  private final Hypervisor hypervisor;
  private final NodeIdentity node;
  private final Path dataDir;
  private final long diskCapacityGib;
  private final double cpuOvercommit;
  private final double memoryOvercommit;
  private final double diskOvercommit;

  /**
   * @param diskCapacityGib disk offered to instances; 0 means the size of {@code dataDir}'s file system
   */
  public DomainInventory(Hypervisor hypervisor, NodeIdentity node, Path dataDir, long diskCapacityGib,
      double cpuOvercommit, double memoryOvercommit, double diskOvercommit) {
    this.hypervisor = hypervisor;
    this.node = node;
    this.dataDir = dataDir;
    this.diskCapacityGib = diskCapacityGib;
    this.cpuOvercommit = cpuOvercommit;
    this.memoryOvercommit = memoryOvercommit;
    this.diskOvercommit = diskOvercommit;
  }

  public static DomainInventory of(Hypervisor hypervisor, NodeSettings s) {
    return new DomainInventory(hypervisor, s.identity(), s.dataDir(), s.diskCapacityGib(),
        s.cpuOvercommit(), s.memoryOvercommit(), s.diskOvercommit());
  }

  /** This node's domains, sorted by instance id. Throws HypervisorException when libvirt fails. */
  public List<DomainReport> domains() {
    return hypervisor.list().stream()
        .filter(d -> d.ownedBy(node.nodeId()))
        .map(DomainInventory::report)
        .sorted(Comparator.comparing(DomainReport::instanceId))
        .toList();
  }

  /** CPUs and memory from libvirt's node info, disk from configuration or the file system. */
  public NodeCapacity capacity() {
    HostInfo host = hypervisor.hostInfo();
    long diskGib = diskCapacityGib > 0 ? diskCapacityGib : fileSystemGib();
    return new NodeCapacity(
        (int) Math.floor(host.cpus() * cpuOvercommit),
        (long) Math.floor(host.memoryKib() / 1024.0 * memoryOvercommit),
        (long) Math.floor(diskGib * diskOvercommit));
  }

  private long fileSystemGib() {
    try {
      Files.createDirectories(dataDir);
      return Files.getFileStore(dataDir).getTotalSpace() >> 30;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the file system of " + dataDir, e);
    }
  }

  private static DomainReport report(DomainSummary d) {
    return new DomainReport(d.metadata().instanceId(), d.state().wireName());
  }
}
