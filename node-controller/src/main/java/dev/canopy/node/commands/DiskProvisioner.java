package dev.canopy.node.commands;

import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;

/**
 * Prepares an instance's root disk (and boot files) before its domain is defined.
 *
 * <p>{@code dev.canopy.node.disks.ImageDiskProvisioner} fetches the image into the node's cache
 * and creates a copy-on-write overlay; {@link SparseDiskProvisioner} makes an empty disk.
 * Implementations must be idempotent: a retried RunInstance calls this again.
 */
public interface DiskProvisioner {
  ProvisionedDisk provision(InstanceSpec spec, InstanceFiles files) throws IOException;

  /**
   * Lets go of what the instance held beyond its own files (cached images it pinned); called
   * after those files are deleted. Idempotent; nothing to release is fine.
   */
  default void release(String instanceId) throws IOException {}
}
