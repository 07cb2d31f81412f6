package dev.canopy.storage.s3.access;

import java.util.List;
import java.util.Set;

/**
 * One statement of a bucket policy. Each of principal, action and resource is a list of patterns
 * that the statement either names or, in its {@code Not} form, excludes.
 *
 * @param anyPrincipal the principal is {@code "*"}: every requester, anonymous ones included
 * @param principalAccounts the accounts the principal names (when not {@code anyPrincipal})
 * @param actions IAM action patterns ({@code s3:Get*}), matched without case
 * @param resources ARN patterns ({@code arn:aws:s3:::bucket/prefix*}), matched with case
 */
record PolicyStatement(
    boolean allow,
    boolean anyPrincipal, Set<String> principalAccounts, boolean notPrincipal,
    List<String> actions, boolean notAction,
    List<String> resources, boolean notResource,
    List<PolicyCondition> conditions) {

  boolean applies(AccessRequest request) {
    return principalMatches(request) != notPrincipal
        && anyMatches(actions, request.action(), true) != notAction
        && anyMatches(resources, request.resource(), false) != notResource
        && conditions.stream().allMatch(condition -> condition.matches(request));
  }

  private boolean principalMatches(AccessRequest request) {
    return anyPrincipal || (!request.isAnonymous() && principalAccounts.contains(request.requesterAccount()));
  }

  private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase) {
    return patterns.stream().anyMatch(pattern -> Wildcards.matches(pattern, value, ignoreCase));
  }

  /** Allows every requester, signed or not, whatever the request (what S3 calls a public policy). */
  boolean isPublicAllow() {
    return allow && ((anyPrincipal && !notPrincipal) || (notPrincipal && !anyPrincipal)) && conditions.isEmpty();
  }
}
