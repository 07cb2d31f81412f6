package dev.canopy.cloud.compute;

import java.util.EnumSet;
import java.util.Set;

/**
 * An instance's lifecycle state, with EC2's codes and names.
 *
 * <p>Transitions (anything else is a bug and throws):
 *
 * <pre>
 * from           to              on
 * pending        running         the node acked runInstance / startInstance
 * pending        terminated      runInstance failed (stateReason Server.InternalError)
 * pending        stopped         startInstance failed (the domain stays defined, shut off)
 * pending        shutting-down   TerminateInstances
 * running        stopping        StopInstances
 * running        shutting-down   TerminateInstances, or the guest shut itself down with
 *                                instanceInitiatedShutdownBehavior terminate (Reconciler)
 * running        stopped         the guest shut itself down (behaviour stop), via stopping
 * stopping       stopped         the node acked stopInstance
 * stopping       running         stopInstance failed (the guest is still up)
 * stopping       shutting-down   TerminateInstances
 * stopped        pending         StartInstances
 * stopped        shutting-down   TerminateInstances
 * shutting-down  terminated      the node acked terminateInstance (capacity released)
 * terminated     -               visible for an hour, then purged
 * </pre>
 *
 * Repeating a request in the state it leads to (stop while stopping or stopped, start while
 * pending or running, terminate while shutting-down or terminated) is not a transition: the
 * API answers with the unchanged state, as EC2 does.
 */
public enum InstanceState {
  PENDING(0, "pending"),
  RUNNING(16, "running"),
  SHUTTING_DOWN(32, "shutting-down"),
  TERMINATED(48, "terminated"),
  STOPPING(64, "stopping"),
  STOPPED(80, "stopped");

  private final int code;
  private final String wireName;

  InstanceState(int code, String wireName) {
    this.code = code;
    this.wireName = wireName;
  }

  /** EC2's {@code instanceState/code}. */
  public int code() {
    return code;
  }

  /** EC2's {@code instanceState/name}. */
  public String wireName() {
    return wireName;
  }

  /** The states this one may move to (the table above). */
  public Set<InstanceState> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(RUNNING, TERMINATED, STOPPED, SHUTTING_DOWN);
      case RUNNING -> EnumSet.of(STOPPING, SHUTTING_DOWN);
      case STOPPING -> EnumSet.of(STOPPED, RUNNING, SHUTTING_DOWN);
      case STOPPED -> EnumSet.of(PENDING, SHUTTING_DOWN);
      case SHUTTING_DOWN -> EnumSet.of(TERMINATED);
      case TERMINATED -> EnumSet.noneOf(InstanceState.class);
    };
  }

  public boolean canMoveTo(InstanceState to) {
    return next().contains(to);
  }

  /** The state whose wire name is {@code name}, or null. */
  public static InstanceState byWireName(String name) {
    for (InstanceState s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
