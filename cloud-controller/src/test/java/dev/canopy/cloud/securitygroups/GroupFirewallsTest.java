package dev.canopy.cloud.securitygroups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.compute.GroupRef;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupFirewallsTest {

  private static final String ALICE = "111111111111";

  private static SecurityGroupRule rule(String protocol, Integer from, Integer to, String cidr, String cidr6, String group) {
    return new SecurityGroupRule("sgr-1", protocol, from, to, cidr, cidr6, group, null);
  }

  private final Map<String, SecurityGroup> groups = Map.of(
      "sg-web", new SecurityGroup(ALICE, "sg-web", "web", "", "vpc-1",
          List.of(rule("tcp", 80, 80, "0.0.0.0/0", null, null),
              rule("6", 443, 443, "10.0.0.0/8", null, null),
              rule("tcp", 22, 22, null, "::/0", null),
              rule("tcp", 5432, 5432, null, null, "sg-app"),
              rule("47", null, null, "0.0.0.0/0", null, null)),
          List.of(rule("-1", 0, 65535, "0.0.0.0/0", null, null))),
      "sg-app", new SecurityGroup(ALICE, "sg-app", "app", "", "vpc-1",
          List.of(rule("tcp", 80, 80, "0.0.0.0/0", null, null)), List.of()));

  private final SecurityGroups lookup = new SecurityGroups() {
    @Override
    public Optional<SecurityGroup> findById(String accountId, String groupId) {
      return Optional.ofNullable(groups.get(groupId)).filter(g -> g.accountId().equals(accountId));
    }

    @Override
    public Optional<SecurityGroup> findByName(String accountId, String groupName) {
      return Optional.empty();
    }

    @Override
    public String defaultVpc(String accountId) {
      return "vpc-1";
    }
  };

  @Test
  void theGroupsRulesBecomeOneFirewallWithMembersOfReferencedGroupsAsHosts() {
    Firewall firewall = GroupFirewalls.of(lookup, (account, group) -> group.equals("sg-app") ? List.of("10.211.0.7", "10.211.0.9") : List.of())
        .firewallFor(ALICE, List.of(new GroupRef("sg-web", "web"), new GroupRef("sg-app", "app")), false);
    assertThat(firewall.sourceDestCheck()).isFalse();
    assertThat(firewall.rules()).containsExactly(
        new FirewallRule("ingress", "tcp", 80, 80, "0.0.0.0/0"),
        new FirewallRule("ingress", "tcp", 443, 443, "10.0.0.0/8"),
        new FirewallRule("ingress", "tcp", 5432, 5432, "10.211.0.7/32"),
        new FirewallRule("ingress", "tcp", 5432, 5432, "10.211.0.9/32"),
        new FirewallRule("egress", "all", -1, -1, "0.0.0.0/0"));
  }

  @Test
  void theGroupsWhoseRulesNameAGroupAreFound() {
    var policy = GroupFirewalls.of(lookup, account -> List.copyOf(groups.values()), (account, group) -> List.of());
    assertThat(policy.groupsReferencing(ALICE, java.util.Set.of("sg-app"))).containsExactly("sg-web");
    assertThat(policy.groupsReferencing(ALICE, java.util.Set.of("sg-web"))).isEmpty();
  }

  @Test
  void anotherAccountsGroupContributesNothing() {
    Firewall firewall = GroupFirewalls.of(lookup, (account, group) -> List.of())
        .firewallFor("222222222222", List.of(new GroupRef("sg-web", "web")), true);
    assertThat(firewall.rules()).isEmpty();
  }
}
