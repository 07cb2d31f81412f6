package dev.canopy.cloud.compute;

import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import java.util.concurrent.CompletionStage;
import dev.canopy.node.protocol.InstanceSpec;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Start, stop, reboot and terminate: each checks every named instance first (one bad state
 * fails the whole call, as EC2 does), then moves each by compare-and-set and sends the node
 * its command; the ack finishes the move (see the table in {@link InstanceState}). Stop and
 * termination protection ({@link InstanceAttributes}) refuse the whole call with
 * {@code OperationNotPermitted}.
 */
final class InstanceLifecycle {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceLifecycle.class);

  private static final DateTimeFormatter REASON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

  private final InstanceStore store;
  private final Scheduler scheduler;
  private final Leadership leadership;
  private final CommandSender sender;
  private final InstanceSpecs specs;
  private final FirewallSync firewalls;
  private final InstantSource clock;

  InstanceLifecycle(InstanceStore store, Scheduler scheduler, Leadership leadership, CommandSender sender, InstanceSpecs specs,
      FirewallSync firewalls, InstantSource clock) {
    this.specs = specs;
    this.firewalls = firewalls;
    this.store = store;
    this.scheduler = scheduler;
    this.leadership = leadership;
    this.sender = sender;
    this.clock = clock;
  }

  List<StateChange> start(String accountId, List<String> ids) {
    return act(accountId, ids, "started", InstanceState.STOPPED, List.of(InstanceState.PENDING, InstanceState.RUNNING), i -> { }, i -> {
      Instant now = clock.instant();
      return i.moveTo(InstanceState.PENDING, null, "", now);
    }, i -> boot(i).thenAccept(ack -> finish(i.instanceId(), ack, InstanceState.PENDING, InstanceState.RUNNING, InstanceState.STOPPED)));
  }

  /**
   * Starts the instance's domain from its current spec (runInstance redefines a shut-off domain,
   * so changes made while stopped apply), or as defined when no spec can be built.
   */
  CompletionStage<Ack> boot(Instance i) {
    Optional<InstanceSpec> spec = specs.current(i);
    return spec.isPresent()
        ? sender.send(i.nodeId(), CommandTypes.RUN_INSTANCE, spec.get())
        : sender.send(i.nodeId(), CommandTypes.START_INSTANCE, new CommandSender.InstanceRef(i.instanceId()));
  }

  /** Desired stopped, found running (started behind the controller's back): stop it again. */
  void sendStop(Instance i) {
    sender.send(i.nodeId(), CommandTypes.STOP_INSTANCE, new CommandSender.StopRef(i.instanceId(), false));
  }

  List<StateChange> stop(String accountId, List<String> ids, boolean force) {
    // Stop protection refuses the call only for an instance it would actually stop.
    Consumer<Instance> guard = i -> {
      if (i.state() == InstanceState.RUNNING && i.attributes().disableApiStop()) {
        throw ComputeErrors.stopProtected(i.instanceId());
      }
    };
    return act(accountId, ids, "stopped", InstanceState.RUNNING, List.of(InstanceState.STOPPING, InstanceState.STOPPED), guard, i -> {
      Instant now = clock.instant();
      return i.moveTo(InstanceState.STOPPING, StateReason.USER_SHUTDOWN, userInitiated(now), now);
    }, i -> sender.send(i.nodeId(), CommandTypes.STOP_INSTANCE, new CommandSender.StopRef(i.instanceId(), force))
        .thenAccept(ack -> finish(i.instanceId(), ack, InstanceState.STOPPING, InstanceState.STOPPED, InstanceState.RUNNING)));
  }

  /** RebootInstances: only running instances; the state does not change. */
  void reboot(String accountId, List<String> ids) {
    checkLeader();
    List<Instance> owned = store.owned(accountId, ids, clock.instant());
    for (Instance i : owned) {
      if (i.state() != InstanceState.RUNNING) {
        throw ComputeErrors.incorrectState(i.instanceId(), i.state(), "rebooted");
      }
    }
    // The guest reboots or it does not; EC2 reports nothing either way.
    owned.forEach(i -> sender.send(i.nodeId(), CommandTypes.REBOOT_INSTANCE, new CommandSender.InstanceRef(i.instanceId())));
  }

  /** TerminateInstances: from any state; repeating it is harmless. */
  List<StateChange> terminate(String accountId, List<String> ids) {
    List<InstanceState> from = List.of(InstanceState.PENDING, InstanceState.RUNNING, InstanceState.STOPPING, InstanceState.STOPPED);
    List<StateChange> changes = new ArrayList<>();
    checkLeader();
    // Termination protection refuses the whole call, before anything moves, as EC2 does; it is
    // checked again inside the compare-and-set in case it was switched on meanwhile.
    Consumer<Instance> guard = i -> {
      if (from.contains(i.state()) && i.attributes().disableApiTermination()) {
        throw ComputeErrors.terminationProtected(i.instanceId());
      }
    };
    List<Instance> owned = store.owned(accountId, ids, clock.instant());
    owned.forEach(guard);
    for (Instance before : owned) {
      Instant now = clock.instant();
      Instance after = store.update(before.instanceId(), i -> {
        guard.accept(i);
        return from.contains(i.state())
            ? i.moveTo(InstanceState.SHUTTING_DOWN, StateReason.USER_SHUTDOWN, userInitiated(now), now) : i;
      }).orElseThrow();
      changes.add(new StateChange(before.instanceId(), before.state(), after.state()));
      if (from.contains(before.state()) && after.state() == InstanceState.SHUTTING_DOWN) {
        sendTerminate(after);
      }
    }
    return changes;
  }

  /** Asks the node to destroy the domain; on ok the instance is terminated and its capacity freed. */
  void sendTerminate(Instance instance) {
    sender.send(instance.nodeId(), CommandTypes.TERMINATE_INSTANCE, new CommandSender.InstanceRef(instance.instanceId()))
        .thenAccept(ack -> {
          // On a refused ack the instance stays shutting-down, capacity held, for the reconciler.
          if (ack.ok()) {
            terminated(instance.instanceId());
          }
        });
  }

  /** shutting-down → terminated, releasing the reservation exactly once. */
  void terminated(String instanceId) {
    boolean[] movedHere = new boolean[1];
    Optional<Instance> after = store.update(instanceId, i -> {
      movedHere[0] = i.state() == InstanceState.SHUTTING_DOWN;
      return movedHere[0] ? i.moveTo(InstanceState.TERMINATED, i.stateReason(), i.stateTransitionReason(), clock.instant()) : i;
    });
    if (movedHere[0] && after.isPresent()) {
      scheduler.release(after.get().nodeId(), after.get().reserved());
      firewalls.membershipChanged(after.get());
    }
  }

  /** Marks every live instance of the node impaired (node gone) or healthy (node back). */
  void nodeAvailability(String nodeId, boolean available) {
    for (Instance i : store.onNode(nodeId)) {
      if (i.state() != InstanceState.TERMINATED) {
        store.update(i.instanceId(), x -> x.impaired() == !available ? x : x.withImpaired(!available));
      }
    }
  }

  private void finish(String instanceId, Ack ack, InstanceState expected, InstanceState onOk, InstanceState onFailure) {
    if (!ack.ok()) {
      LOG.warn("{}: the node refused to move it to {} ({}: {}); it stays {}", instanceId, onOk.name().toLowerCase(java.util.Locale.ROOT),
          ack.error(), ack.message(), onFailure.name().toLowerCase(java.util.Locale.ROOT));
    }
    store.update(instanceId, i -> {
      if (i.state() != expected) {
        return i; // a later request (terminate, say) moved it on; that request owns it now
      }
      return ack.ok()
          ? i.moveTo(onOk, i.stateReason(), i.stateTransitionReason(), clock.instant())
          : i.moveTo(onFailure, i.stateReason(), i.stateTransitionReason(), clock.instant());
    });
  }

  private List<StateChange> act(String accountId, List<String> ids, String verb, InstanceState from, List<InstanceState> already,
      Consumer<Instance> guard, java.util.function.UnaryOperator<Instance> move, Consumer<Instance> command) {
    checkLeader();
    List<Instance> owned = store.owned(accountId, ids, clock.instant());
    for (Instance i : owned) {
      if (i.state() != from && !already.contains(i.state())) {
        throw ComputeErrors.incorrectState(i.instanceId(), i.state(), verb);
      }
      guard.accept(i);
    }
    List<StateChange> changes = new ArrayList<>();
    for (Instance before : owned) {
      boolean[] movedHere = new boolean[1];
      Instance after = store.update(before.instanceId(), i -> {
        movedHere[0] = i.state() == from;
        if (!movedHere[0] && !already.contains(i.state())) {
          throw ComputeErrors.incorrectState(i.instanceId(), i.state(), verb);
        }
        guard.accept(i);
        return movedHere[0] ? move.apply(i) : i;
      }).orElseThrow();
      changes.add(new StateChange(before.instanceId(), before.state(), after.state()));
      if (movedHere[0]) {
        command.accept(after);
      }
    }
    return changes;
  }

  private void checkLeader() {
    if (!leadership.isLeader()) {
      throw ComputeErrors.notLeader();
    }
  }

  private static String userInitiated(Instant now) {
    return "User initiated (" + REASON_TIME.format(now) + ")";
  }
}
