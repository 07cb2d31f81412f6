package dev.canopy.cloud.grid.net;

/**
 * Where each controller's grid member listens: {@code 127.77.0.<controller id>}, a loopback
 * address of its own and the same in every member's view. Linux routes all of 127/8 to the
 * loopback interface, so no address has to be configured, and a loopback address is reachable
 * from this host only: a member on another host is reached through the tunnel, which presents it
 * on its alias here.
 */
public final class MemberAliases {

  /** Controller ids are 1..255 ({@code canopy controller --id}); each is the last octet of its alias. */
  public static final int CONTROLLER_ID_MIN = 1;
  public static final int CONTROLLER_ID_MAX = 255;
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
}
