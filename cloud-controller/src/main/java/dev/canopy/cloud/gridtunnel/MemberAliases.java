package dev.canopy.cloud.gridtunnel;

import dev.canopy.core.cloud.CloudLimits;
import dev.canopy.cloud.grid.GridClusterSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Where each controller's grid member listens: {@code 127.77.0.<controller id>}, a loopback
 * address of its own and the same in every member's view. Linux routes all of 127/8 to the
 * loopback interface, so no address has to be configured, and a loopback address is reachable
 * from this host only: a member on another host is reached through the tunnel, which presents it
 * on its alias here.
 */
public final class MemberAliases {

  /** Controller ids are 1..255 ({@code canopy controller --id}); each is the last octet of its alias. */
  public static final int CONTROLLER_ID_MIN = CloudLimits.CONTROLLER_ID_MIN;
  public static final int CONTROLLER_ID_MAX = CloudLimits.CONTROLLER_ID_MAX;
  private static final String PREFIX = "127.77.0.";

  private MemberAliases() {}

  /** The loopback alias of controller {@code controllerId}'s grid member. */
  public static String of(int controllerId) {
    if (controllerId < CONTROLLER_ID_MIN || controllerId > CONTROLLER_ID_MAX) {
      throw new IllegalArgumentException(
          "controller id must be in " + CONTROLLER_ID_MIN + ".." + CONTROLLER_ID_MAX + " to have a grid alias: " + controllerId);
    }
    return PREFIX + controllerId;
  }

  /** The controller whose member listens on {@code host}, if it is one of the aliases. */
  public static java.util.OptionalInt idOf(String host) {
    if (host == null || !host.startsWith(PREFIX)) {
      return java.util.OptionalInt.empty();
    }
    try {
      int id = Integer.parseInt(host.substring(PREFIX.length()));
      return id >= CONTROLLER_ID_MIN && id <= CONTROLLER_ID_MAX ? java.util.OptionalInt.of(id) : java.util.OptionalInt.empty();
    } catch (NumberFormatException notAnAlias) {
      return java.util.OptionalInt.empty();
    }
  }

  /** {@code alias:port} of every controller's member, in id order: what the grid admits. */
  public static List<String> members(Collection<Integer> controllerIds, int port) {
    return controllerIds.stream().sorted().map(id -> of(id) + ":" + port).toList();
  }

  /**
   * A controller's grid member among controllers that reach each other through the tunnel: every
   * member listens on its own alias at {@code port}, so its address is the same in every member's
   * view wherever the controller runs.
   */
  public static GridClusterSettings memberSettings(
      String clusterName, int selfId, Collection<Integer> controllerIds, int port, Duration leaseDuration) {
    if (!controllerIds.contains(selfId)) {
      throw new IllegalArgumentException("controllers must include this one (" + selfId + "): " + controllerIds);
    }
    List<String> members = members(controllerIds, port);
    return new GridClusterSettings(clusterName, of(selfId), port, members, members.size(), leaseDuration);
  }
}
