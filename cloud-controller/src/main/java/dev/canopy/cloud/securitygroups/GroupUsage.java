package dev.canopy.cloud.securitygroups;

/**
 * Whether something outside the security-group family (an instance) uses a group, which keeps
 * it from being deleted ({@code DependencyViolation}). The instances family implements it.
 */
@FunctionalInterface
public interface GroupUsage {

  /** Until instances exist, nothing uses a group. */
  GroupUsage NEVER = (accountId, groupId) -> false;

  boolean inUse(String accountId, String groupId);
}
