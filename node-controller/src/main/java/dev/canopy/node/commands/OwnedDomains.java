package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.Hypervisor;
import java.util.Optional;

/**
 * Looks up a domain only if this node defined it. Agents may share one libvirtd; a domain whose
 * metadata names another node (or none) is treated as absent, so no agent ever stops, reboots
 * or undefines another's guest.
 */
final class OwnedDomains {

  private final Hypervisor hypervisor;
  private final NodeIdentity node;

  OwnedDomains(Hypervisor hypervisor, NodeIdentity node) {
    this.hypervisor = hypervisor;
    this.node = node;
  }

  Optional<DomainSummary> find(String instanceId) {
    return hypervisor.find(instanceId).filter(d -> d.ownedBy(node.nodeId()));
  }
}
