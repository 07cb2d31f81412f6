/**
 * EC2 security groups: the domain ({@link dev.canopy.cloud.securitygroups.SecurityGroupService}:
 * a lazily created default VPC and {@code default} group per account, create, describe, delete,
 * authorize and revoke), the rule model and its validation
 * ({@link dev.canopy.cloud.securitygroups.Permissions}), the lookups RunInstances uses
 * ({@link dev.canopy.cloud.securitygroups.SecurityGroups}) and the hook through which instances
 * keep a group from being deleted ({@link dev.canopy.cloud.securitygroups.GroupUsage}).
 * Rules are stored flat, one source per rule, as AWS's SecurityGroupRule does; they are grouped
 * back into IpPermissions only when rendered.
 */
package dev.canopy.cloud.securitygroups;
