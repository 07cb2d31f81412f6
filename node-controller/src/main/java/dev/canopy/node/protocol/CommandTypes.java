package dev.canopy.node.protocol;

/** The command types an agent understands; each has one handler class on the agent. */
public final class CommandTypes {
  /** Payload {@link InstanceSpec}: define and start a domain for the instance. */
  public static final String RUN_INSTANCE = "runInstance";
  /** Payload {@code {"instanceId"}}: start a defined, stopped domain. */
  public static final String START_INSTANCE = "startInstance";
  /** Payload {@code {"instanceId", "force"}}: ACPI shutdown, then destroy after a timeout (or at once when forced). */
  public static final String STOP_INSTANCE = "stopInstance";
  /** Payload {@code {"instanceId"}}: reboot the guest. */
  public static final String REBOOT_INSTANCE = "rebootInstance";
  /** Payload {@code {"instanceId"}}: destroy and undefine the domain and remove its files; idempotent. */
  public static final String TERMINATE_INSTANCE = "terminateInstance";

  private CommandTypes() {}
}
