package dev.canopy.storage.kv.engine;

import dev.canopy.core.time.Time;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's schedule of anti-entropy exchanges, driven by {@link KvNode#tick()}: it walks, in a
 * fixed order, every (partition this node owns, preference list that partition holds, other
 * partition of that preference list) and exchanges that tree with the other partition's owner,
 * one exchange at a time, spaced so a full walk takes the settings' round period. A target whose
 * owner is believed down is passed over (the next round comes back to it); a failed exchange
 * repairs what it had found before failing and nothing more.
 */
final class AntiEntropy {

  /** One exchange of a round. */
  record Target(int partition, TreeId tree, int peerPartition, String peer) {}

  private final KvNode node;
  private final AntiEntropySettings settings;
  private final Time time;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong keysRepaired = new AtomicLong();
  private long cursor;
  private boolean started;
  private long nextStartNanos;

  AntiEntropy(KvNode node, AntiEntropySettings settings, Time time) {
    this.node = node;
    this.settings = settings;
    this.time = time;
  }

  /** Starts the next exchange if it is due and none is running. */
  synchronized void tick(Ring ring, Liveness liveness) {
    long now = time.nanoTime();
    if (running.get() || (started && now - nextStartNanos < 0)) {
      return;
    }
    List<Target> round = targets(ring, node.id());
    if (round.isEmpty()) {
      return;
    }
    Target target = round.get((int) Long.remainderUnsigned(cursor++, round.size()));
    started = true;
    nextStartNanos = now + settings.roundPeriod().toNanos() / round.size();
    if (!liveness.up(target.peer())) {
      return;
    }
    running.set(true);
    new TreeExchange(node, target.partition(), target.tree(), target.peer(),
        target.peerPartition()).run().whenComplete((outcome, error) -> {
          if (outcome != null) {
            exchanges.incrementAndGet();
            keysRepaired.addAndGet(outcome.keysRepaired());
          }
          running.set(false);
        });
  }

  long exchanges() {
    return exchanges.get();
  }

  long keysRepaired() {
    return keysRepaired.get();
  }

  /**
   * Every exchange of a round for {@code self}, in a fixed order: per owned partition q, per
   * replica count n in use (the default's and every bucket's), per preference list starting at
   * h = q−n+1 … q (the lists q's vnode holds keys of), per other partition of that list.
   */
  static List<Target> targets(Ring ring, String self) {
    int q = ring.partitions();
    TreeSet<Integer> nValues = new TreeSet<>();
    nValues.add(Math.min(q, BucketProps.defaults(ring.members().size()).nVal()));
    ring.allBucketProps().values().forEach(p -> nValues.add(Math.min(q, p.nVal())));
    List<Target> targets = new ArrayList<>();
    for (int partition : ring.partitionsOwnedBy(self)) {
      for (int n : nValues) {
        for (int back = n - 1; back >= 0; back--) {
          int home = Math.floorMod(partition - back, q);
          for (int i = 0; i < n; i++) {
            int other = (home + i) % q;
            if (other != partition) {
              targets.add(new Target(partition, new TreeId(home, n), other, ring.owner(other)));
            }
          }
        }
      }
    }
    return targets;
  }
}
