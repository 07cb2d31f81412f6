package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.SimEvent.Action;
import dev.canopy.cloud.lease.SimEvent.Adopt;
import dev.canopy.cloud.lease.SimEvent.MembershipChange;
import dev.canopy.cloud.lease.SimEvent.Crash;
import dev.canopy.cloud.lease.SimEvent.Deliver;
import dev.canopy.cloud.lease.SimEvent.GracefulRelease;
import dev.canopy.cloud.lease.SimEvent.Link;
import dev.canopy.cloud.lease.SimEvent.PauseEnd;
import dev.canopy.cloud.lease.SimEvent.PauseStart;
import dev.canopy.cloud.lease.SimEvent.Restart;
import dev.canopy.cloud.lease.SimEvent.Timer;
import dev.canopy.cloud.lease.SimEvent.WallJump;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a PaxosLease cluster: one seed decides the fault plan, every
 * clock, every message's fate and every node's jitter, so a seed replays exactly. Events are
 * processed in simulated real time; the {@link SafetyChecker} runs after every one.
 */
final class Simulation {

  /** A bound on work per run: a buggy core can spin on timers; that must end, not hang CI. */
  static final long EVENTS_MAX = 3_000_000;

  private record Scheduled(long atNanos, long sequence, SimEvent event) {}

  final long seed;
  final FaultPlan plan;
  final Set<KnownBug> bugs;
  final SimNode[] nodes;
  final SimNetwork network;
  final SafetyChecker checker;
  final SimMembership membership;
  final SimMetrics metrics = new SimMetrics();
  /** Report only two holders at once (to see whether a bug ends in that, not just in a rule). */
  boolean overlapOnly;
  /** Faults are drawn up to here (the whole run unless a test keeps a quiet end for measuring). */
  long faultsEndNanos = -1;
  /** Prints every event while set (replaying one seed with -Dlease.trace=true). */
  java.io.PrintStream traceOut = Boolean.getBoolean("lease.trace") ? System.out : null;

  private final SplittableRandom faultRandom;
  private final SplittableRandom coreSeeds;
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
      (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.sequence, b.sequence));
  private long sequence;
  private long nowNanos;
  private long traceHash = 0xcbf29ce484222325L;
  private final List<SafetyChecker.HolderChange> pendingHolderEvents = new ArrayList<>();

  Simulation(long seed, Set<KnownBug> bugs) {
    this(seed, bugs, FaultPlan.random(new SplittableRandom(seed).split()));
  }

  Simulation(long seed, Set<KnownBug> bugs, FaultPlan plan) {
    this(seed, bugs, plan, 0);
  }

  /** @param spareIds machines beyond the plan's controllers, which membership changes may add */
  Simulation(long seed, Set<KnownBug> bugs, FaultPlan plan, int spareIds) {
    this.seed = seed;
    this.plan = plan;
    this.bugs = bugs.isEmpty() ? EnumSet.noneOf(KnownBug.class) : EnumSet.copyOf(bugs);
    SplittableRandom root = new SplittableRandom(seed ^ 0x5DEECE66DL);
    SplittableRandom clockRandom = root.split();
    this.faultRandom = root.split();
    this.coreSeeds = root.split();
    int maxNodeId = plan.nodeCount() + spareIds;
    this.network = new SimNetwork(plan, root.split(), maxNodeId);
    Set<Integer> ids = new LinkedHashSet<>();
    for (int id = 1; id <= plan.nodeCount(); id++) {
      ids.add(id);
    }
    LeaseConfig base = new LeaseConfig(ids, plan.leaseDurationMs(), plan.rho(), plan.maxLeaseMs(),
        plan.leaseDurationMs() / 10);
    this.nodes = new SimNode[maxNodeId + 1];
    for (int id = 1; id <= maxNodeId; id++) {
      long leaseMs = plan.leaseDurationMs();
      if (plan.mixedLeaseDurations()) {
        // Different D_P per controller (same cluster hash): exclusion must follow the proposal.
        leaseMs = plan.leaseDurationMs() / 2 + clockRandom.nextLong(plan.maxLeaseMs() - plan.leaseDurationMs() / 2 + 1);
      }
      double rate = 1 + plan.rho() * (clockRandom.nextBoolean() ? 1 : -1) * (clockRandom.nextDouble() < 0.4 ? 1 : clockRandom.nextDouble());
      long offsetNanos = clockRandom.nextLong(1L << 40);
      nodes[id] = new SimNode(id, new SimClock(offsetNanos, rate), base.withLocalDuration(leaseMs, leaseMs / 10));
      nodes[id].member = id <= plan.nodeCount();
    }
    this.checker = new SafetyChecker(this);
    this.membership = new SimMembership(this, root.split(), ids);
  }

  int maxNodeId() {
    return nodes.length - 1;
  }

  long faultsEndNanos() {
    return faultsEndNanos < 0 ? plan.durationNanos() : faultsEndNanos;
  }

  long now() {
    return nowNanos;
  }

  long traceHash() {
    return traceHash;
  }

  void schedule(long atNanos, SimEvent event) {
    queue.add(new Scheduled(atNanos, sequence++, event));
  }

  SimMetrics run() {
    for (int id = 1; id < nodes.length; id++) {
      if (nodes[id].member) {
        startProcess(nodes[id], false);
      }
    }
    FaultSchedule.generate(plan, faultRandom, this);
    long events = 0;
    while (!queue.isEmpty()) {
      Scheduled next = queue.poll();
      if (next.atNanos > plan.durationNanos()) {
        break;
      }
      metrics.advance(next.atNanos - nowNanos, checker.leaderPresent());
      nowNanos = next.atNanos;
      if (++events > EVENTS_MAX) {
        throw new LeaseViolation(LeaseViolation.Kind.RUNAWAY, seed, nowNanos, bugs, "more than " + EVENTS_MAX + " events");
      }
      trace(next.event());
      if (traceOut != null) {
        traceOut.printf("%12.6f %s%n", nowNanos / 1e9, next.event());
      }
      try {
        handle(next.event());
      } catch (IllegalStateException brokenCore) {
        // A core stops itself when it finds its own state impossible: the run found a bug.
        throw new LeaseViolation(LeaseViolation.Kind.CORE_INVARIANT, seed, nowNanos, bugs, brokenCore.getMessage());
      }
      checker.afterEvent(pendingHolderEvents);
      pendingHolderEvents.clear();
    }
    metrics.advance(plan.durationNanos() - nowNanos, checker.leaderPresent());
    metrics.events = events;
    metrics.traceHash = traceHash;
    metrics.messagesSent = network.sent();
    return metrics;
  }

  private void handle(SimEvent event) {
    if (event instanceof Deliver d) {
      SimNode node = nodes[d.node()];
      if (!node.isUp()) {
        return;
      }
      if (node.paused) {
        node.deferred.add(d);
        return;
      }
      apply(node, node.core.onMessage(d.message(), node.clock.now(nowNanos)));
    } else if (event instanceof Timer t) {
      SimNode node = nodes[t.node()];
      int k = t.kind().ordinal();
      if (!node.isRunning() || node.incarnation != t.incarnation() || node.timerGeneration[k] != t.generation()) {
        return;
      }
      node.timerPending[k] = false;
      apply(node, node.core.onTimer(t.kind(), node.clock.now(nowNanos)));
    } else if (event instanceof Crash c) {
      SimNode node = nodes[resolve(c.node())];
      if (node.isUp()) {
        crash(node);
        schedule(nowNanos + c.downNanos(), new Restart(node.id));
      }
    } else if (event instanceof Restart r) {
      SimNode node = nodes[r.node()];
      if (!node.isUp() && node.member) {
        // A group of one that never changed has no quarantine (LeaseConfig#quarantineNanos).
        startProcess(node, true);
      }
    } else if (event instanceof PauseStart p) {
      SimNode node = nodes[resolve(p.node())];
      if (node.isRunning()) {
        node.paused = true;
        node.clock.freeze(nowNanos);
        checker.onPause(node);
        schedule(nowNanos + p.pauseNanos(), new PauseEnd(node.id));
      }
    } else if (event instanceof PauseEnd p) {
      resume(nodes[p.node()]);
    } else if (event instanceof WallJump w) {
      nodes[w.node()].clock.jumpWall(w.deltaNanos());
    } else if (event instanceof Link l) {
      network.changeLink(l.node(), l.to(), l.delta());
    } else if (event instanceof GracefulRelease) {
      int holder = currentHolder();
      if (holder > 0) {
        SimNode node = nodes[holder];
        List<Integer> others = new ArrayList<>(node.config.ids());
        others.remove(Integer.valueOf(holder));
        int successor = others.isEmpty() ? LeaseMessage.NO_NODE : others.get(faultRandom.nextInt(others.size()));
        apply(node, node.core.release(successor, node.clock.now(nowNanos)));
        metrics.releases++;
      }
    } else if (event instanceof MembershipChange) {
      membership.change();
    } else if (event instanceof Adopt a) {
      membership.adopt(a);
    } else if (event instanceof Action a) {
      a.action().accept(this);
    }
  }

  void startProcess(SimNode node, boolean quarantine) {
    node.incarnation++;
    node.core = new LeaseNode(node.config, node.id, node.incarnation, coreSeeds.split(), bugs);
    node.paused = false;
    checker.onStart(node, quarantine, node.config.quarantineNanos());
    apply(node, node.core.start(node.clock.now(nowNanos), quarantine));
  }

  /** A new controller's first process, under the controller set it joins. */
  void startJoined(SimNode node) {
    node.incarnation++;
    node.core = new LeaseNode(node.config, node.id, node.incarnation, coreSeeds.split(), bugs);
    node.paused = false;
    checker.onStart(node, true, node.config.reconfigurationQuarantineNanos());
    apply(node, node.core.startAfterReconfiguration(node.clock.now(nowNanos)));
  }

  /** A running controller adopts {@code next}: its old core retires, the next one starts quarantined. */
  void reconfigure(SimNode node, LeaseConfig next) {
    LeaseNode old = node.core;
    apply(node, old.retire(node.clock.now(nowNanos)));
    node.config = next;
    node.core = old.reconfigured(next);
    cancelTimers(node);
    checker.onStart(node, true, next.reconfigurationQuarantineNanos());
    apply(node, node.core.startAfterReconfiguration(node.clock.now(nowNanos)));
  }

  /** A controller that left stops its lease process for good. */
  void leave(SimNode node, LeaseConfig next) {
    if (node.isUp()) {
      apply(node, node.core.retire(node.clock.now(nowNanos)));
      crash(node);
    }
    node.config = next;
    node.member = false;
  }

  private void cancelTimers(SimNode node) {
    for (int k = 0; k < node.timerPending.length; k++) {
      node.timerGeneration[k]++;
      node.timerPending[k] = false;
    }
  }

  void crash(SimNode node) {
    if (node.paused) {
      node.clock.unfreeze(nowNanos);
    }
    node.core = null;
    node.paused = false;
    node.deferred.clear();
    checker.onCrash(node);
  }

  private void resume(SimNode node) {
    if (!node.paused) {
      return;
    }
    node.paused = false;
    node.clock.unfreeze(nowNanos);
    for (int k = 0; k < node.timerPending.length; k++) {
      if (node.timerPending[k]) {
        setTimer(node, TimerKind.values()[k], node.timerDeadlineNanos[k]);
      }
    }
    for (Deliver d : node.deferred) {
      schedule(nowNanos, d);
    }
    node.deferred.clear();
  }

  void apply(SimNode node, Effects effects) {
    for (Effects.Send send : effects.sends()) {
      metrics.countSend(send.message(), send.isBroadcast() ? node.config.ids().size() - 1 : 1);
      if (send.message() instanceof LeaseMessage.PrepareRequest p) {
        checker.onPrepareSent(p.ballot());
      }
      // Like the transport: a broadcast reaches the controllers of the sender's own set.
      for (int to : node.config.ids()) {
        if (to == node.id || !(send.isBroadcast() || send.toNodeId() == to)) {
          continue;
        }
        for (long delay : network.deliveries(node.id, to, send.message())) {
          schedule(nowNanos + delay, new Deliver(to, send.message()));
        }
      }
    }
    for (Effects.TimerRequest timer : effects.timers()) {
      setTimer(node, timer.kind(), timer.deadlineNanos());
    }
    for (Effects.HolderEvent event : effects.holderEvents()) {
      if (traceOut != null) {
        traceOut.printf("%12.6f   node %d: %s%n", nowNanos / 1e9, node.id, event);
      }
      pendingHolderEvents.add(new SafetyChecker.HolderChange(node, event));
      metrics.onHolderEvent(nowNanos, node.id, event);
      membership.onHolderEvent(node, event);
    }
  }

  private void setTimer(SimNode node, TimerKind kind, long deadlineNanos) {
    int k = kind.ordinal();
    node.timerGeneration[k]++;
    node.timerPending[k] = true;
    node.timerDeadlineNanos[k] = deadlineNanos;
    if (node.paused) {
      return;
    }
    long at = node.clock.realWhenLocalReaches(deadlineNanos, nowNanos);
    // A deadline already due fires a millisecond later, like a real timer wheel's tick; this
    // also stops a core that keeps asking for a past deadline from spinning at one instant.
    if (at <= nowNanos) {
      at = nowNanos + FaultPlan.MS;
    }
    schedule(at, new Timer(node.id, node.incarnation, kind, node.timerGeneration[k]));
  }

  /** The node that believes it holds the lease now (the lowest id if several), or -1. */
  int currentHolder() {
    for (int id = 1; id < nodes.length; id++) {
      SimNode node = nodes[id];
      if (node.isRunning() && node.core.holdsLease(node.clock.now(nowNanos))) {
        return id;
      }
    }
    return -1;
  }

  /** -1 means "the holder if there is one, else anyone". */
  private int resolve(int node) {
    if (node > 0) {
      return node;
    }
    int holder = currentHolder();
    return holder > 0 ? holder : 1 + faultRandom.nextInt(maxNodeId());
  }

  private void trace(SimEvent event) {
    long h = traceHash;
    h = mix(h, nowNanos);
    h = mix(h, event.getClass().getSimpleName().hashCode());
    h = mix(h, event.node());
    if (event instanceof Deliver d) {
      h = mix(h, d.message().getClass().getSimpleName().hashCode());
      h = mix(h, d.message().hashCode());
    } else if (event instanceof Timer t) {
      h = mix(h, t.kind().ordinal());
    }
    traceHash = h;
  }

  static long mix(long h, long v) {
    h ^= v;
    h *= 0x100000001b3L;
    return h ^ (h >>> 29);
  }
}
