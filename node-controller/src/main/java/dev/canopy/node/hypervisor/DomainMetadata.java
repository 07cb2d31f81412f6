package dev.canopy.node.hypervisor;

import java.util.Objects;

/**
 * What Canopy records in a domain's {@code <metadata>}, in its own namespace {@link #NAMESPACE}:
 * the node that defined the domain (so agents sharing one libvirtd never adopt each other's
 * domains) and the instance it runs.
 *
 * @param instanceType and {@code imageId}: for operators reading {@code virsh dumpxml}; may be null
 */
public record DomainMetadata(
    String nodeId, String instanceId, String accountId, String instanceType, String imageId) {

  /** Canopy's XML namespace for domain metadata; versioned so the format can change. */
  public static final String NAMESPACE = "https://canopy.dev/xmlns/domain/1";
  /** The prefix libvirt stores with the element. */
  public static final String PREFIX = "canopy";
  /** The element under {@code <metadata>}. */
  public static final String ROOT = "instance";

  public DomainMetadata {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(instanceId, "instanceId");
  }
}
