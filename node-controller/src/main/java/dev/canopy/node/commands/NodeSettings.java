package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.NicAttachment;
import dev.canopy.node.hypervisor.VirtType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node agent's compute settings, read once from configuration.
 *
 * @param dataDir the agent's data dir: the epoch file and {@code instances/<id>/} live here
 * @param stopTimeout how long a stop waits for the guest to power off after ACPI before destroying it
 * @param stopPollInterval how often a stop checks whether the guest has powered off
 * @param kernel a kernel for direct boot of every instance (dev's tiny image), or null to boot from disk
 * @param initrd the initramfs for {@code kernel}, or null
 * @param kernelCmdline the command line for {@code kernel}, or null
 * @param diskCapacityGib disk offered to instances; 0 means the size of the data dir's file system
 * @param cpuOvercommit ratios applied to the host's capacity (1.0: none)
 */
public record NodeSettings(
    String nodeId,
    Path dataDir,
    VirtType virtType,
    NicAttachment nic,
    Duration stopTimeout,
    Duration stopPollInterval,
    Path kernel,
    Path initrd,
    String kernelCmdline,
    long diskCapacityGib,
    double cpuOvercommit,
    double memoryOvercommit,
    double diskOvercommit) {

  public NodeSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(virtType, "virtType");
    Objects.requireNonNull(nic, "nic");
    if (stopTimeout.isNegative() || stopPollInterval.isNegative() || stopPollInterval.isZero()) {
      throw new IllegalArgumentException("stopTimeout >= 0 and stopPollInterval > 0");
    }
    if (diskCapacityGib < 0 || !(cpuOvercommit > 0) || !(memoryOvercommit > 0) || !(diskOvercommit > 0)) {
      throw new IllegalArgumentException("capacity and overcommit ratios must be positive");
    }
  }

  /** qemu (TCG), the libvirt network "default", a 60 s stop timeout, no overcommit. */
  public static NodeSettings defaults(String nodeId, Path dataDir) {
    return new NodeSettings(nodeId, dataDir, VirtType.QEMU, NicAttachment.network("default"),
        Duration.ofSeconds(60), Duration.ofMillis(500), null, null, null, 0, 1.0, 1.0, 1.0);
  }

  public NodeSettings withVirtType(VirtType type) {
    return new NodeSettings(nodeId, dataDir, type, nic, stopTimeout, stopPollInterval, kernel, initrd,
        kernelCmdline, diskCapacityGib, cpuOvercommit, memoryOvercommit, diskOvercommit);
  }

  public NodeSettings withNic(NicAttachment attachment) {
    return new NodeSettings(nodeId, dataDir, virtType, attachment, stopTimeout, stopPollInterval, kernel, initrd,
        kernelCmdline, diskCapacityGib, cpuOvercommit, memoryOvercommit, diskOvercommit);
  }

  public NodeSettings withStop(Duration timeout, Duration pollInterval) {
    return new NodeSettings(nodeId, dataDir, virtType, nic, timeout, pollInterval, kernel, initrd,
        kernelCmdline, diskCapacityGib, cpuOvercommit, memoryOvercommit, diskOvercommit);
  }

  public NodeSettings withDirectBoot(Path kernelPath, Path initrdPath, String cmdline) {
    return new NodeSettings(nodeId, dataDir, virtType, nic, stopTimeout, stopPollInterval, kernelPath, initrdPath,
        cmdline, diskCapacityGib, cpuOvercommit, memoryOvercommit, diskOvercommit);
  }

  public NodeIdentity identity() {
    return new NodeIdentity(nodeId);
  }
}
