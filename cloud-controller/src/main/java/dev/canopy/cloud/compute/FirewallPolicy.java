package dev.canopy.cloud.compute;

import dev.canopy.node.protocol.Firewall;
import java.util.List;

/**
 * Turns an instance's security groups into the firewall its node installs. Implemented by the
 * security-group family; compute only asks.
 */
@FunctionalInterface
public interface FirewallPolicy {

  /** No host firewall (nodes on libvirt's test driver). */
  FirewallPolicy NONE = (accountId, groups, sourceDestCheck) -> null;

  /** @return the firewall, or null for none */
  Firewall firewallFor(String accountId, List<GroupRef> groups, boolean sourceDestCheck);
}
