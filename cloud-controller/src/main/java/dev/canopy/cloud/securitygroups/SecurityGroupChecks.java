package dev.canopy.cloud.securitygroups;

import dev.canopy.cloud.compute.GroupRef;
import dev.canopy.cloud.compute.SecurityGroupCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/** RunInstances' {@link SecurityGroupCheck}, implemented over the security-group family. */
public final class SecurityGroupChecks {

  private SecurityGroupChecks() {}

  /**
   * SecurityGroupId.N and SecurityGroup.N resolved in the caller's account, in request order and
   * without duplicates; the account's {@code default} group when neither is given.
   */
  public static SecurityGroupCheck of(SecurityGroups groups) {
    return (accountId, ids, names) -> {
      Set<GroupRef> resolved = new LinkedHashSet<>();
      for (String id : ids) {
        var group = groups.findById(accountId, id).orElseThrow(() -> SecurityGroupErrors.notFound(id));
        resolved.add(new GroupRef(group.groupId(), group.groupName()));
      }
      for (String name : names) {
        var group = groups.findByName(accountId, name).orElseThrow(() -> SecurityGroupErrors.notFound(name));
        resolved.add(new GroupRef(group.groupId(), group.groupName()));
      }
      if (resolved.isEmpty()) {
        var group = groups.findByName(accountId, "default").orElseThrow(() -> SecurityGroupErrors.notFound("default"));
        resolved.add(new GroupRef(group.groupId(), group.groupName()));
      }
      return new ArrayList<>(resolved);
    };
  }
}
