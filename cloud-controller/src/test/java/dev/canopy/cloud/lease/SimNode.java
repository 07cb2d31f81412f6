package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.TimerKind;
import java.util.ArrayList;
import java.util.List;

/** One simulated controller machine: its clocks, and its lease process while it is up. */
final class SimNode {

  final int id;
  final SimClock clock;
  /** The controller set this machine last adopted (kept over a crash: it reads it back at start). */
  LeaseConfig config;
  /** In the controller set: a controller that left never starts again; a spare waits to join. */
  boolean member = true;

  /** Null while crashed. */
  LeaseNode core;
  int incarnation;
  boolean paused;
  /** Deliveries that arrived during a pause, in arrival order; handed over when it ends. */
  final List<SimEvent.Deliver> deferred = new ArrayList<>();

  /** One pending timer per kind, like the real driver: a new request replaces the old one. */
  final long[] timerGeneration = new long[TimerKind.values().length];
  final long[] timerDeadlineNanos = new long[TimerKind.values().length];
  final boolean[] timerPending = new boolean[TimerKind.values().length];

  SimNode(int id, SimClock clock, LeaseConfig config) {
    this.id = id;
    this.clock = clock;
    this.config = config;
  }

  boolean isUp() {
    return core != null;
  }

  /** Up and not paused: able to process an event right now. */
  boolean isRunning() {
    return core != null && !paused;
  }
}
