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
  /** Payload {@code {"instanceId", "firewall": Firewall}}: replace the instance's host firewall. */
  public static final String UPDATE_FIREWALL = "updateFirewall";
  /**
   * Payload {@code {"instanceId"}}: the newest serial console output; the ack's result is
   * {@code {"instanceId", "output": base64, "timestamp": ISO-8601}}.
   */
  public static final String GET_CONSOLE_OUTPUT = "getConsoleOutput";
  /**
   * Payload {@code {}}: a new lease holder announces its epoch before its first real command; the
   * agent makes the epoch durable (as for any command) and from then on refuses older ones.
   */
  public static final String ANNOUNCE_EPOCH = "announceEpoch";

  private CommandTypes() {}
}
