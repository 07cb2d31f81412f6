package dev.canopy.cloud.images;

import java.util.List;

/**
 * ModifyImageAttribute's launchPermission change, already parsed: the accounts to add and to
 * remove, and whether the group {@code all} (public) is added or removed. Adds apply before
 * removes, so naming one account in both leaves it unshared.
 */
public record LaunchPermissionChange(List<String> addUserIds, List<String> removeUserIds, boolean addAll, boolean removeAll) {

  public LaunchPermissionChange {
    addUserIds = List.copyOf(addUserIds);
    removeUserIds = List.copyOf(removeUserIds);
  }

  public boolean isEmpty() {
    return addUserIds.isEmpty() && removeUserIds.isEmpty() && !addAll && !removeAll;
  }
}
