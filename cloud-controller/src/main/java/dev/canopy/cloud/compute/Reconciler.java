package dev.canopy.cloud.compute;

import dev.canopy.node.protocol.DomainReport;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares a node's heartbeat (the domains libvirt really runs) with the recorded instances and
 * repairs what a lost ack left behind. Only moves the table in {@link InstanceState} allows:
 *
 * <pre>
 * recorded       reported           action
 * pending        running            running (the runInstance/startInstance ack was lost)
 * stopping       shutoff or absent  stopped
 * running        absent             the domain vanished (undefined behind the agent's back):
 *                                   runInstance re-sent from the current spec (disk kept)
 * stopped        running            started behind the controller's back: stopInstance sent
 * running        shutoff            the guest shut itself down: by its shutdown behaviour,
 *                                   stop       stopping, stopped
 *                                   terminate  shutting-down, terminateInstance sent (then
 *                                              terminated, capacity released, on the ack or a
 *                                              later heartbeat)
 * shutting-down  absent             terminated, capacity released
 * shutting-down  present            terminateInstance sent again
 * terminated     present            terminateInstance sent again (it raced a late runInstance)
 * </pre>
 *
 * A heartbeat is a snapshot: an instance whose state this controller changed after the snapshot
 * was taken (say a start acked just after a heartbeat that still saw the domain shut off) is
 * skipped until a later heartbeat, so a stale report never undoes a newer command.
 *
 * <p>Re-drives are sent at most once per {@link #REDRIVE_INTERVAL} per instance: the command may
 * take a while (an image download), and every heartbeat until then reports the same drift.
 *
 * <p>A domain with no instance record at all is left alone: it may belong to another controller's
 * cloud sharing the libvirtd, and the agent's metadata check is the guard for that.
 */
final class Reconciler {

  static final StateReason GUEST_SHUTDOWN =
      new StateReason("Client.InstanceInitiatedShutdown", "Client.InstanceInitiatedShutdown: Instance initiated shutdown");

  private final InstanceStore store;
  private final InstanceLifecycle lifecycle;
  private final InstantSource clock;

  Reconciler(InstanceStore store, InstanceLifecycle lifecycle, InstantSource clock) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  /** The least time between two re-drives of one instance. */
  static final Duration REDRIVE_INTERVAL = Duration.ofSeconds(60);
  private static final int TRACKED_REDRIVES_MAX = 100_000;
  private final Map<String, Instant> lastRedrive = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long before its arrival a heartbeat's snapshot may have been taken (sampling, queueing). */
  static final Duration SNAPSHOT_SLACK = Duration.ofSeconds(1);

  /** Reconciles with a report taken now (callers that hold the report in hand). */
  void reconcile(String nodeId, List<DomainReport> domains) {
    reconcile(nodeId, domains, null);
  }

  /**
   * @param receivedAt when the heartbeat carrying {@code domains} arrived; instances changed since
   *     shortly before then are skipped. Null: the report is current.
   */
  void reconcile(String nodeId, List<DomainReport> domains, Instant receivedAt) {
    Map<String, String> reported = domains.stream()
        .collect(Collectors.toMap(DomainReport::instanceId, DomainReport::state, (a, b) -> a));
    // A heartbeat proves the node is back: its instances are no longer impaired.
    lifecycle.nodeAvailability(nodeId, true);
    for (Instance i : store.onNode(nodeId)) {
      if (receivedAt != null && store.stateChangedSince(i.instanceId(), receivedAt.minus(SNAPSHOT_SLACK))) {
        continue;
      }
      String domain = reported.get(i.instanceId());
      switch (i.state()) {
        case PENDING -> {
          if ("running".equals(domain)) {
            move(i, x -> x.moveTo(InstanceState.RUNNING, null, "", clock.instant()), InstanceState.PENDING);
          }
        }
        case STOPPING -> {
          if (domain == null || "shutoff".equals(domain)) {
            move(i, x -> x.moveTo(InstanceState.STOPPED, x.stateReason(), x.stateTransitionReason(), clock.instant()), InstanceState.STOPPING);
          }
        }
        case RUNNING -> {
          if ("shutoff".equals(domain) || "crashed".equals(domain)) {
            guestShutdown(i);
          } else if (domain == null && redriveDue(i)) {
            lifecycle.boot(i);
          }
        }
        case STOPPED -> {
          if ("running".equals(domain) && redriveDue(i)) {
            lifecycle.sendStop(i);
          }
        }
        case SHUTTING_DOWN -> {
          if (domain == null) {
            lifecycle.terminated(i.instanceId());
          } else {
            lifecycle.sendTerminate(i);
          }
        }
        case TERMINATED -> {
          if (domain != null) {
            lifecycle.sendTerminate(i);
          }
        }
        default -> { }
      }
    }
  }

  /**
   * The behaviour is read inside the compare-and-set, so a ModifyInstanceAttribute racing the
   * heartbeat is either fully before it or fully after it.
   */
  private void guestShutdown(Instance i) {
    boolean[] terminating = new boolean[1];
    Optional<Instance> after = store.update(i.instanceId(), x -> {
      terminating[0] = false;
      if (x.state() != InstanceState.RUNNING) {
        return x;
      }
      if (x.attributes().shutdownBehavior() == ShutdownBehavior.TERMINATE) {
        terminating[0] = true;
        return x.moveTo(InstanceState.SHUTTING_DOWN, GUEST_SHUTDOWN, "", clock.instant());
      }
      return x.moveTo(InstanceState.STOPPING, GUEST_SHUTDOWN, "", clock.instant())
          .moveTo(InstanceState.STOPPED, GUEST_SHUTDOWN, "", clock.instant());
    });
    if (terminating[0] && after.isPresent()) {
      lifecycle.sendTerminate(after.get());
    }
  }

  private boolean redriveDue(Instance i) {
    Instant now = clock.instant();
    // Per desired state: a stop requested after a re-run is a new intent, not a repeat.
    String key = i.instanceId() + "/" + i.state();
    Instant last = lastRedrive.get(key);
    if (last != null && now.isBefore(last.plus(REDRIVE_INTERVAL))) {
      return false;
    }
    if (lastRedrive.size() >= TRACKED_REDRIVES_MAX) {
      lastRedrive.clear(); // a memo against resending too often, not a record
    }
    lastRedrive.put(key, now);
    return true;
  }

  private void move(Instance i, Function<Instance, Instance> change, InstanceState expected) {
    store.update(i.instanceId(), x -> x.state() == expected ? change.apply(x) : x);
  }
}
