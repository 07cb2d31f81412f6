package dev.canopy.cloud.securitygroups;

import dev.canopy.cloud.compute.FirewallPolicy;
import dev.canopy.cloud.compute.GroupRef;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Security groups as host firewalls. An instance's firewall is the union of its groups' rules
 * (security groups only allow); a rule naming another group allows that group's members' private
 * addresses. IPv6 rules are left out: the instance network is IPv4 only.
 */
public final class GroupFirewalls {

  /** The private addresses of the account's instances in a group. */
  @FunctionalInterface
  public interface GroupMembers {
    List<String> addresses(String accountId, String groupId);
  }

  private GroupFirewalls() {}

  public static FirewallPolicy of(SecurityGroups groups, GroupMembers members) {
    return of(groups, accountId -> List.of(), members);
  }

  /** @param listing all of an account's groups, to find the rules that name a group */
  public static FirewallPolicy of(SecurityGroups groups, Function<String, List<SecurityGroup>> listing, GroupMembers members) {
    return new FirewallPolicy() {
      @Override
      public Firewall firewallFor(String accountId, List<GroupRef> refs, boolean sourceDestCheck) {
        Set<FirewallRule> rules = new LinkedHashSet<>();
        for (GroupRef ref : refs) {
          groups.findById(accountId, ref.groupId()).ifPresent(group -> {
            group.ingress().forEach(r -> add(rules, "ingress", r, accountId, members));
            group.egress().forEach(r -> add(rules, "egress", r, accountId, members));
          });
        }
        return new Firewall(new ArrayList<>(rules), sourceDestCheck);
      }

      @Override
      public Set<String> groupsReferencing(String accountId, Set<String> groupIds) {
        Set<String> out = new java.util.HashSet<>();
        for (SecurityGroup g : listing.apply(accountId)) {
          boolean names = java.util.stream.Stream.concat(g.ingress().stream(), g.egress().stream())
              .anyMatch(r -> r.referencedGroupId() != null && groupIds.contains(r.referencedGroupId()));
          if (names) {
            out.add(g.groupId());
          }
        }
        return out;
      }
    };
  }

  private static void add(Set<FirewallRule> out, String direction, SecurityGroupRule rule, String accountId, GroupMembers members) {
    String protocol = protocol(rule.protocol());
    if (protocol == null) {
      return; // a protocol number nwfilter is not given here (GRE, ESP...): not allowed, as if absent
    }
    boolean ports = !protocol.equals("all"); // EC2 ignores ports on "all traffic" rules
    int from = rule.fromPort() == null || !ports ? -1 : rule.fromPort();
    int to = rule.toPort() == null || !ports ? -1 : rule.toPort();
    if (rule.cidrIpv4() != null) {
      out.add(new FirewallRule(direction, protocol, from, to, rule.cidrIpv4()));
    } else if (rule.referencedGroupId() != null) {
      for (String address : members.addresses(accountId, rule.referencedGroupId())) {
        out.add(new FirewallRule(direction, protocol, from, to, address + "/32"));
      }
    }
  }

  /** EC2 protocol names and numbers to the firewall's; null for one it cannot express. */
  private static String protocol(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "tcp", "6" -> "tcp";
      case "udp", "17" -> "udp";
      case "icmp", "1" -> "icmp";
      case "-1", "all" -> "all";
      default -> null;
    };
  }
}
