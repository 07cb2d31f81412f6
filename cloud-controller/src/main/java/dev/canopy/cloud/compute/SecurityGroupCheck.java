package dev.canopy.cloud.compute;

import java.util.List;

/** Resolves the groups named in RunInstances (implemented by the security-group family). */
@FunctionalInterface
public interface SecurityGroupCheck {

  /**
   * The account's groups by id and by name, in request order, without duplicates. When both
   * lists are empty, the account's {@code default} group (EC2 puts every instance in one).
   *
   * @throws dev.canopy.api.error.AwsException {@code InvalidGroup.NotFound} for a group the
   *     account does not have, {@code InvalidGroupId.Malformed} for a malformed id
   */
  List<GroupRef> resolve(String accountId, List<String> groupIds, List<String> groupNames);
}
