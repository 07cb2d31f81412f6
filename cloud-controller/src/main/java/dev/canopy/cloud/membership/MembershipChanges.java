package dev.canopy.cloud.membership;

import dev.canopy.core.cloud.CloudLimits;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules of a change of the controller set, pure: given the current record and which
 * controllers are reachable now, the next record or a {@link MembershipRefused}.
 *
 * <p>One controller per change, and the next change only once the previous one has settled (a
 * lease won under it): that is what keeps two lease holders from ever existing across the switch
 * (docs/paxoslease.md, "Changing the controller set"). A change that would leave a set whose quorum
 * the reachable controllers cannot form is refused too: it would stop the lease until someone
 * comes back.
 */
public final class MembershipChanges {

  private MembershipChanges() {}

  /**
   * Adds controller {@code id} at {@code address}.
   *
   * @param reachable the controllers of the current set that are up and in the grid now
   */
  public static ControllerSet join(ControllerSet current, int id, String address, Set<Integer> reachable) {
    if (id < CloudLimits.CONTROLLER_ID_MIN || id > CloudLimits.CONTROLLER_ID_MAX) {
      throw new MembershipRefused(400, "InvalidParameterValue", "a controller id is 1.." + CloudLimits.CONTROLLER_ID_MAX + ", not " + id);
    }
    if (address == null || address.isBlank() || address.length() > 255) {
      throw new MembershipRefused(400, "InvalidParameterValue", "a controller's address is a host name or IP address");
    }
    if (current.controllers().containsKey(id)) {
      throw new MembershipRefused(409, "ControllerAlreadyMember", "controller " + id + " is already in the controller set");
    }
    if (current.controllers().containsValue(address)) {
      throw new MembershipRefused(409, "AddressInUse", "another controller already has the address " + address);
    }
    if (current.controllers().size() >= CloudLimits.CONTROLLERS_MAX) {
      throw new MembershipRefused(409, "LimitExceeded", "a cloud has at most " + CloudLimits.CONTROLLERS_MAX + " controllers");
    }
    requireSettled(current);
    TreeMap<Integer, String> next = new TreeMap<>(current.controllers());
    next.put(id, address);
    // The joining controller counts: it starts right after the change, and the new set's quorum
    // needs it only if the reachable ones are not enough by themselves.
    requireQuorum(next, countReachable(next, reachable) + 1, "adding controller " + id);
    return new ControllerSet(current.version() + 1, next, current.settledVersion());
  }

  /** Removes controller {@code id} (reachable or not: removing a failed controller is the point). */
  public static ControllerSet leave(ControllerSet current, int id, Set<Integer> reachable) {
    if (!current.controllers().containsKey(id)) {
      throw new MembershipRefused(404, "NoSuchController", "controller " + id + " is not in the controller set "
          + current.controllers().keySet());
    }
    if (current.controllers().size() == 1) {
      throw new MembershipRefused(409, "LastController", "controller " + id + " is the only controller: a cloud keeps at least one");
    }
    requireSettled(current);
    TreeMap<Integer, String> next = new TreeMap<>(current.controllers());
    next.remove(id);
    requireQuorum(next, countReachable(next, reachable), "removing controller " + id);
    return new ControllerSet(current.version() + 1, next, current.settledVersion());
  }

  private static void requireSettled(ControllerSet current) {
    if (current.changeInProgress()) {
      throw new MembershipRefused(409, "ChangeInProgress", "the change to version " + current.version()
          + " has not settled yet (no lease won under it): one change at a time; retry once"
          + " `canopy controller list` shows it settled");
    }
  }

  private static void requireQuorum(TreeMap<Integer, String> next, int reachableAfter, String what) {
    int quorum = next.size() / 2 + 1;
    if (reachableAfter < quorum) {
      throw new MembershipRefused(409, "WouldLoseQuorum", what + " leaves " + next.size() + " controllers, of which "
          + reachableAfter + " are reachable: the lease needs " + quorum + "; bring controllers back first");
    }
  }

  private static int countReachable(TreeMap<Integer, String> set, Set<Integer> reachable) {
    return (int) set.keySet().stream().filter(reachable::contains).count();
  }
}
