package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.TimerKind;
import java.util.function.Consumer;

/** Everything that can happen in a simulated run, queued by simulated real time. */
sealed interface SimEvent {

  /** The node the event happens at, or -1 for the network or the whole cluster. */
  int node();

  /** A message arrives at {@code node}. */
  record Deliver(int node, LeaseMessage message) implements SimEvent {}

  /** A timer the core asked for; stale unless incarnation and generation still match. */
  record Timer(int node, int incarnation, TimerKind kind, long generation) implements SimEvent {}

  /** The process dies and loses all memory. {@code node} -1: whoever holds the lease (or anyone). */
  record Crash(int node, long downNanos) implements SimEvent {}

  record Restart(int node) implements SimEvent {}

  /** A stop-the-world pause (hypervisor, GC): the clock stops, nothing is processed. -1: holder. */
  record PauseStart(int node, long pauseNanos) implements SimEvent {}

  record PauseEnd(int node) implements SimEvent {}

  record WallJump(int node, long deltaNanos) implements SimEvent {}

  /** Blocks ({@code delta} +1) or unblocks (-1) the directed link {@code node -> to}. */
  record Link(int node, int to, int delta) implements SimEvent {}

  /** The current holder (if any) releases gracefully, naming a random successor. */
  record GracefulRelease(int node) implements SimEvent {}

  /** An operator asks for a join or a leave (refused while the previous change has not settled). */
  record MembershipChange(int node) implements SimEvent {}

  /** The membership record's new controller set reaches {@code node} (through the grid). */
  record Adopt(int node, long version, java.util.Set<Integer> controllerIds) implements SimEvent {}

  /** A scenario's own step (timing tests): crash the holder now, mark a time, and so on. */
  record Action(int node, String name, Consumer<Simulation> action) implements SimEvent {}
}
