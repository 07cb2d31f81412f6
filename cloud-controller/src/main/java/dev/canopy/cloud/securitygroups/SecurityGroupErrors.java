package dev.canopy.cloud.securitygroups;

import dev.canopy.api.error.AwsException;

/** The security-group error codes EC2 clients branch on, worded as EC2 words them. */
public final class SecurityGroupErrors {

  private SecurityGroupErrors() {}

  public static AwsException notFound(String idOrName) {
    return new AwsException(400, "InvalidGroup.NotFound", "The security group '" + idOrName + "' does not exist");
  }

  static AwsException notFoundInVpc(String name, String vpcId) {
    return new AwsException(400, "InvalidGroup.NotFound",
        "The security group '" + name + "' does not exist in default VPC '" + vpcId + "'");
  }

  public static AwsException malformedId(String id) {
    return new AwsException(400, "InvalidGroupId.Malformed", "Invalid id: \"" + id + "\" (expecting \"sg-...\")");
  }

  static AwsException duplicate(String name, String vpcId) {
    return new AwsException(400, "InvalidGroup.Duplicate", "The security group '" + name + "' already exists for VPC '" + vpcId + "'");
  }

  static AwsException cannotDelete() {
    return new AwsException(400, "CannotDelete", "the specified group: \"default\" name: \"default\" cannot be deleted by a user");
  }

  static AwsException dependencyViolation(String groupId) {
    return new AwsException(400, "DependencyViolation", "resource " + groupId + " has a dependent object");
  }

  static AwsException duplicatePermission(SecurityGroupRule rule) {
    return new AwsException(400, "InvalidPermission.Duplicate", "the specified rule \"" + rule.describePeer() + "\" already exists");
  }

  static AwsException permissionNotFound() {
    return new AwsException(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
  }

  static AwsException ruleIdNotFound(String ruleId) {
    return new AwsException(400, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '" + ruleId + "' does not exist");
  }

  static AwsException vpcNotFound(String vpcId) {
    return new AwsException(400, "InvalidVpcID.NotFound", "The vpc ID '" + vpcId + "' does not exist");
  }

  static AwsException rulesLimit(int max) {
    return new AwsException(400, "RulesPerSecurityGroupLimitExceeded",
        "The maximum number of rules per security group (" + max + ") has been reached.");
  }
}
