package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.HolderEvent;
import dev.canopy.cloud.lease.SimEvent.Adopt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The membership record of a simulated cluster and the rule that guards it (docs/paxoslease.md,
 * "Changing the controller set"): one join or leave at a time, and the next one only once a lease
 * has been won under the newest set ("settled"). Each change reaches every controller of the old
 * and the new set after its own delay, like the grid's update: quickly for most, late for some (a
 * partitioned or slow controller), never in any particular order. A controller that is down when
 * it arrives reads it at its next start.
 */
final class SimMembership {

  /** The cluster never grows beyond five controllers (ids beyond the plan's are the spares). */
  static final int CONTROLLERS_MAX = 5;

  private final Simulation sim;
  private final RandomGenerator random;
  private final SortedSet<Integer> members;
  private long latestVersion;
  private long settledVersion;
  private int nextSpare;

  /** The rule under test: false (test the tester) applies a change while the previous is unsettled. */
  boolean awaitSettled = true;
  long joins;
  long leaves;
  long refusedUnsettled;

  SimMembership(Simulation sim, RandomGenerator random, Set<Integer> seeded) {
    this.sim = sim;
    this.random = random;
    this.members = new TreeSet<>(seeded);
    this.nextSpare = members.last() + 1;
  }

  long latestVersion() {
    return latestVersion;
  }

  boolean settled() {
    return settledVersion == latestVersion;
  }

  /** A lease won under the newest set settles it: no older set can grant a lease again. */
  void onHolderEvent(SimNode node, HolderEvent event) {
    if (event instanceof BecameHolder && node.config.version() == latestVersion) {
      settledVersion = latestVersion;
    }
  }

  /** An operator's join or leave: one controller at a time, never below one. */
  void change() {
    if (awaitSettled && !settled()) {
      refusedUnsettled++;
      return;
    }
    boolean spareLeft = nextSpare <= sim.maxNodeId();
    boolean join = members.size() == 1 || (spareLeft && members.size() < CONTROLLERS_MAX && random.nextBoolean());
    if (join && !spareLeft) {
      return;
    }
    SortedSet<Integer> previous = new TreeSet<>(members);
    if (join) {
      members.add(nextSpare++);
      joins++;
    } else {
      // Half the leaves remove the holder: the change must then also survive losing it.
      int holder = sim.currentHolder();
      List<Integer> ids = new ArrayList<>(members);
      int leaving = holder > 0 && members.contains(holder) && random.nextBoolean()
          ? holder
          : ids.get(random.nextInt(ids.size()));
      members.remove(leaving);
      leaves++;
    }
    latestVersion++;
    Set<Integer> everyone = new TreeSet<>(previous);
    everyone.addAll(members);
    for (int id : everyone) {
      sim.schedule(sim.now() + propagationNanos(), new Adopt(id, latestVersion, Set.copyOf(members)));
    }
  }

  /** The new set arrives at one controller. */
  void adopt(Adopt change) {
    SimNode node = sim.nodes[change.node()];
    if (node.config.version() >= change.version()) {
      return; // a newer set arrived first: this one is history
    }
    if (node.paused) {
      // Its event loop is stopped: it takes the change when it runs again.
      sim.schedule(sim.now() + 10 * FaultPlan.MS, change);
      return;
    }
    LeaseConfig next = node.config.withControllers(change.controllerIds(), change.version());
    boolean staying = change.controllerIds().contains(node.id);
    if (!staying) {
      if (node.member) {
        sim.leave(node, next);
      }
    } else if (!node.member) {
      node.config = next;
      node.member = true;
      if (!node.isUp()) {
        sim.startJoined(node);
      }
    } else if (node.isUp()) {
      sim.reconfigure(node, next);
    } else {
      node.config = next; // read from the record at its next start, with a start's quarantine
    }
  }

  /** Most controllers hear of a change within 200 ms; one in five much later (up to 20 s). */
  private long propagationNanos() {
    if (random.nextDouble() < 0.2) {
      return (long) (random.nextDouble() * 20 * FaultPlan.SECOND);
    }
    return FaultPlan.MS + (long) (random.nextDouble() * 200 * FaultPlan.MS);
  }
}
