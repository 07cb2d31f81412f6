package dev.canopy.cloud.compute;

import dev.canopy.node.protocol.Firewall;
import java.util.List;
import java.util.Set;

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

  /**
   * The account's groups with a rule naming any of {@code groupIds}: their instances' firewalls
   * list the members of those groups, so they change when membership does.
   */
  default Set<String> groupsReferencing(String accountId, Set<String> groupIds) {
    return Set.of();
  }
}
