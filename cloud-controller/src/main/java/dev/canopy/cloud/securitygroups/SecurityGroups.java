package dev.canopy.cloud.securitygroups;

import java.util.Optional;

/**
 * The lookups RunInstances uses to validate SecurityGroups / SecurityGroupIds, and the node side
 * uses to read rules ({@link SecurityGroup#ingress()}, {@link SecurityGroup#egress()}). Another
 * account's groups are invisible. Both lookups create the account's default group on first use.
 */
public interface SecurityGroups {

  Optional<SecurityGroup> findById(String accountId, String groupId);

  /** By name in the account's default VPC (the only VPC an account has). */
  Optional<SecurityGroup> findByName(String accountId, String groupName);

  /** The account's one (default) VPC id, created with its default group on first use. */
  String defaultVpc(String accountId);
}
