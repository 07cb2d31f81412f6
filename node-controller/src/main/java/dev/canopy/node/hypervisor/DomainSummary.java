package dev.canopy.node.hypervisor;

import java.util.Optional;

/**
 * One domain as the hypervisor lists it.
 *
 * @param metadata Canopy's metadata, or null for a domain Canopy did not define
 */
public record DomainSummary(String name, DomainState state, DomainMetadata metadata) {

  public Optional<DomainMetadata> canopyMetadata() {
    return Optional.ofNullable(metadata);
  }

  /** True when this domain was defined by the agent of {@code nodeId}. */
  public boolean ownedBy(String nodeId) {
    return metadata != null && metadata.nodeId().equals(nodeId);
  }
}
