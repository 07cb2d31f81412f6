package dev.canopy.cloud.compute;

/** EC2's {@code stateReason}: why the instance last changed state, when EC2 says. */
public record StateReason(String code, String message) {

  public static final StateReason USER_SHUTDOWN =
      new StateReason("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
  /** What EC2 reports for an instance whose launch failed on the host. */
  public static final StateReason LAUNCH_FAILED =
      new StateReason("Server.InternalError", "Server.InternalError: Internal error on launch");
}
