package dev.canopy.node.commands;

import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * An empty, sparse raw root disk of the requested size (no blocks are written, so it costs no
 * space until the guest writes), with the node's configured direct-boot kernel if it has one.
 */
public final class SparseDiskProvisioner implements DiskProvisioner {

  private final Path kernel;
  private final Path initrd;
  private final String kernelCmdline;

  /** Boots from the disk. */
  public SparseDiskProvisioner() {
    this(null, null, null);
  }

  /** Direct kernel boot with these files (any may be null). */
  public SparseDiskProvisioner(Path kernel, Path initrd, String kernelCmdline) {
    this.kernel = kernel;
    this.initrd = initrd;
    this.kernelCmdline = kernelCmdline;
  }

  @Override
  public ProvisionedDisk provision(InstanceSpec spec, InstanceFiles files) throws IOException {
    files.create(spec.instanceId());
    Path disk = files.rootDisk(spec.instanceId());
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      // setLength only ever grows here: a retry must not truncate a disk the guest already wrote.
      long size = (long) spec.rootDiskGib() << 30;
      if (f.length() < size) {
        f.setLength(size);
      }
    }
    return new ProvisionedDisk(disk, "raw", kernel, kernel == null ? null : initrd, kernel == null ? null : kernelCmdline);
  }
}
