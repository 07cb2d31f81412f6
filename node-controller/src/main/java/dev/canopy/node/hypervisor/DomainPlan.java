package dev.canopy.node.hypervisor;

import dev.canopy.node.protocol.InstanceSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link DomainXml} needs to describe one instance's domain: the controller's spec
 * plus this node's choices (virtualization type, NIC attachment, file paths).
 *
 * @param diskFormat the root disk's format for libvirt's disk driver ("raw", "qcow2")
 * @param kernel direct kernel boot: the kernel image, or null to boot from the disk
 * @param initrd the initramfs for direct kernel boot, or null
 * @param kernelCmdline the kernel command line for direct kernel boot, or null
 * @param consoleLog the file the serial console is written to
 * @param seedIso the NoCloud seed, attached read-only as the second disk, or null for none
 */
public record DomainPlan(
    String nodeId,
    VirtType virtType,
    InstanceSpec spec,
    Path rootDisk,
    String diskFormat,
    Path kernel,
    Path initrd,
    String kernelCmdline,
    Path consoleLog,
    NicAttachment nic,
    Path seedIso) {

  /** Without a seed. */
  public DomainPlan(String nodeId, VirtType virtType, InstanceSpec spec, Path rootDisk, String diskFormat, Path kernel,
      Path initrd, String kernelCmdline, Path consoleLog, NicAttachment nic) {
    this(nodeId, virtType, spec, rootDisk, diskFormat, kernel, initrd, kernelCmdline, consoleLog, nic, null);
  }

  public DomainPlan {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(virtType, "virtType");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(rootDisk, "rootDisk");
    Objects.requireNonNull(diskFormat, "diskFormat");
    Objects.requireNonNull(consoleLog, "consoleLog");
    Objects.requireNonNull(nic, "nic");
    if (kernel == null && (initrd != null || kernelCmdline != null)) {
      throw new IllegalArgumentException("an initrd or kernel command line needs a kernel");
    }
  }

  /** The metadata this plan's domain carries. */
  public DomainMetadata metadata() {
    return new DomainMetadata(
        nodeId, spec.instanceId(), spec.accountId(), spec.instanceType(), spec.imageId());
  }
}
