package dev.canopy.cloud.compute;

/**
 * The instance attributes ModifyInstanceAttribute changes that are not part of the launch
 * spec proper (type, user data and groups live on {@link Instance} itself).
 *
 * @param disableApiTermination TerminateInstances refuses the instance while true
 * @param disableApiStop StopInstances refuses the instance while true
 * @param shutdownBehavior what a shutdown from inside the guest leads to
 * @param sourceDestCheck EC2's default true; stored and shown here, enforced by the network
 */
public record InstanceAttributes(
    boolean disableApiTermination, boolean disableApiStop, ShutdownBehavior shutdownBehavior, boolean sourceDestCheck) {

  /** What EC2 gives an instance launched without these parameters. */
  public static final InstanceAttributes DEFAULTS = new InstanceAttributes(false, false, ShutdownBehavior.STOP, true);

  public InstanceAttributes {
    if (shutdownBehavior == null) {
      throw new IllegalArgumentException("shutdownBehavior is required");
    }
  }

  public InstanceAttributes withDisableApiTermination(boolean flag) {
    return new InstanceAttributes(flag, disableApiStop, shutdownBehavior, sourceDestCheck);
  }

  public InstanceAttributes withDisableApiStop(boolean flag) {
    return new InstanceAttributes(disableApiTermination, flag, shutdownBehavior, sourceDestCheck);
  }

  public InstanceAttributes withShutdownBehavior(ShutdownBehavior behavior) {
    return new InstanceAttributes(disableApiTermination, disableApiStop, behavior, sourceDestCheck);
  }

  public InstanceAttributes withSourceDestCheck(boolean flag) {
    return new InstanceAttributes(disableApiTermination, disableApiStop, shutdownBehavior, flag);
  }
}
