package dev.canopy.node.commands;

import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;

/**
 * Prepares an instance's root disk (and boot files) before its domain is defined.
 *
 * <p>The seam for the image cache of the real-guests issue: that implementation fetches the image
 * into the node's cache and creates a copy-on-write overlay. Until then {@link SparseDiskProvisioner}
 * makes an empty disk. Implementations must be idempotent: a retried RunInstance calls this again.
 */
public interface DiskProvisioner {
  ProvisionedDisk provision(InstanceSpec spec, InstanceFiles files) throws IOException;
}
