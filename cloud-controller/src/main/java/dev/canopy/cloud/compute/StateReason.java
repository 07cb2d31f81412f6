package dev.canopy.cloud.compute;

/** EC2's {@code stateReason}: why the instance last changed state, when EC2 says. */
public record StateReason(String code, String message) {

  public static final StateReason USER_SHUTDOWN =
      new StateReason("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
  /** What EC2 reports for an instance whose launch failed on the host. */
  public static final StateReason LAUNCH_FAILED =
      new StateReason("Server.InternalError", "Server.InternalError: Internal error on launch");
  /** The most of a node's failure message a state reason repeats (the node's log has all of it). */
  static final int NODE_MESSAGE_CHARS_MAX = 400;

  /**
   * {@link #LAUNCH_FAILED} naming the cause, as EC2 names one in its messages: the node's error
   * and message (libvirt's own words; the node keeps secrets out of them), so the tenant and the
   * operator see why without reading the node's log.
   */
  public static StateReason launchFailed(String nodeError, String nodeMessage) {
    String detail = nodeMessage == null || nodeMessage.isBlank() ? nodeError : nodeError + ": " + nodeMessage;
    if (detail == null || detail.isBlank()) {
      return LAUNCH_FAILED;
    }
    if (detail.length() > NODE_MESSAGE_CHARS_MAX) {
      detail = detail.substring(0, NODE_MESSAGE_CHARS_MAX) + "…";
    }
    return new StateReason(LAUNCH_FAILED.code(), LAUNCH_FAILED.message() + " (" + detail + ")");
  }
}
