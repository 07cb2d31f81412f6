package dev.canopy.cloud.securitygroups;

import java.util.List;

/** A security group with its rules (ingress and egress), owned by one account. */
public record SecurityGroup(
    String accountId, String groupId, String groupName, String description, String vpcId,
    List<SecurityGroupRule> ingress, List<SecurityGroupRule> egress) {

  public SecurityGroup {
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
  }

  SecurityGroup withRules(boolean isEgress, List<SecurityGroupRule> rules) {
    return isEgress
        ? new SecurityGroup(accountId, groupId, groupName, description, vpcId, ingress, rules)
        : new SecurityGroup(accountId, groupId, groupName, description, vpcId, rules, egress);
  }

  public List<SecurityGroupRule> rules(boolean isEgress) {
    return isEgress ? egress : ingress;
  }
}
