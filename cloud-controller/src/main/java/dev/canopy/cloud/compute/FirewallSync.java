package dev.canopy.cloud.compute;

import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes firewalls to nodes after what they are made of changed: a group's rules, an instance's
 * groups or its source/destination check. Fire and forget per instance: a node that misses an
 * update gets the whole firewall again with the next change or the next start, and each update
 * carries the complete rule set, so order does not matter beyond "newest sent wins".
 */
final class FirewallSync {

  private static final Logger LOG = LoggerFactory.getLogger(FirewallSync.class);

  private final InstanceStore store;
  private final FirewallPolicy policy;
  private final CommandSender sender;

  FirewallSync(InstanceStore store, FirewallPolicy policy, CommandSender sender) {
    this.store = store;
    this.policy = policy;
    this.sender = sender;
  }

  Firewall firewallFor(Instance i) {
    return policy.firewallFor(i.ownerId(), i.groups(), i.attributes().sourceDestCheck());
  }

  /** Every instance of the account using the group. */
  void groupChanged(String accountId, String groupId) {
    refresh(accountId, i -> i.groups().stream().anyMatch(g -> g.groupId().equals(groupId)));
  }

  /**
   * {@code member} got or lost its address (launched, terminated): instances whose rules name one
   * of its groups get their firewalls again, with the member list as it is now.
   */
  void membershipChanged(Instance member) {
    Set<String> groups = member.groups().stream().map(GroupRef::groupId).collect(Collectors.toSet());
    Set<String> referencing = policy.groupsReferencing(member.ownerId(), groups);
    if (!referencing.isEmpty()) {
      refresh(member.ownerId(), i -> i.groups().stream().anyMatch(g -> referencing.contains(g.groupId())));
    }
  }

  /** Instances of the account that {@code which} selects and that have a domain somewhere. */
  void refresh(String accountId, Predicate<Instance> which) {
    if (policy == FirewallPolicy.NONE) {
      return;
    }
    List<Instance> affected = store.live(accountId).stream().filter(which).toList();
    for (Instance i : affected) {
      Firewall firewall = firewallFor(i);
      sender.send(i.nodeId(), CommandTypes.UPDATE_FIREWALL, new FirewallUpdate(i.instanceId(), firewall))
          .thenAccept(ack -> {
            if (!ack.ok()) {
              LOG.warn("node {} did not update the firewall of {}: {} {}", i.nodeId(), i.instanceId(), ack.error(), ack.message());
            }
          });
    }
  }

  /** Payload of updateFirewall. */
  record FirewallUpdate(String instanceId, Firewall firewall) {}
}
