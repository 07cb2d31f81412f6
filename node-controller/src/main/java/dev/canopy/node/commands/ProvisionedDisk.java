package dev.canopy.node.commands;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link DiskProvisioner} prepared for one instance.
 *
 * @param format libvirt's disk driver type ("raw"; "qcow2" for copy-on-write overlays)
 * @param kernel, initrd, kernelCmdline direct kernel boot, or null to boot from the disk
 * @param seedIso the NoCloud seed attached as a second, read-only disk, or null for none
 */
public record ProvisionedDisk(Path rootDisk, String format, Path kernel, Path initrd, String kernelCmdline,
    Path seedIso) {
  public ProvisionedDisk {
    Objects.requireNonNull(rootDisk, "rootDisk");
    Objects.requireNonNull(format, "format");
  }

  /** Without a seed. */
  public ProvisionedDisk(Path rootDisk, String format, Path kernel, Path initrd, String kernelCmdline) {
    this(rootDisk, format, kernel, initrd, kernelCmdline, null);
  }

  public ProvisionedDisk withSeedIso(Path seed) {
    return new ProvisionedDisk(rootDisk, format, kernel, initrd, kernelCmdline, seed);
  }
}
