package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Start, stop, reboot and terminate as an EC2 user sees them: every refused request answers
 * IncorrectInstanceState (400) and moves nothing, and a node that refuses or never answers
 * leaves the instance where the table in {@link InstanceState} says.
 */
class InstanceLifecycleTest {

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  @Test
  void stopOfAPendingInstanceIsRefused() {
    f.commands.answer(c -> null); // the runInstance ack never comes: the instance stays pending
    Instance i = t.runOne();
    assertError(() -> f.instances.stop(ALICE, List.of(i.instanceId()), false), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.reboot(ALICE, List.of(i.instanceId())), 400, "IncorrectInstanceState");
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.PENDING);
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).isEmpty();
  }

  @Test
  void startOfAPendingInstanceAnswersItUnchanged() {
    f.commands.answer(c -> null);
    Instance i = t.runOne();
    assertThat(f.instances.start(ALICE, List.of(i.instanceId())))
        .containsExactly(new StateChange(i.instanceId(), InstanceState.PENDING, InstanceState.PENDING));
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).as("no second runInstance").hasSize(1);
  }

  @Test
  void nothingButTerminateIsAcceptedWhileShuttingDown() {
    f.commands.answer(c -> c.type().equals(CommandTypes.TERMINATE_INSTANCE) ? null : FakeNodeCommands.ok(c));
    Instance i = t.runOne();
    List<String> id = List.of(i.instanceId());
    f.instances.terminate(ALICE, id);
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.SHUTTING_DOWN);
    assertError(() -> f.instances.start(ALICE, id), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.stop(ALICE, id, false), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.stop(ALICE, id, true), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.reboot(ALICE, id), 400, "IncorrectInstanceState");
    assertThat(f.instances.terminate(ALICE, id))
        .containsExactly(new StateChange(i.instanceId(), InstanceState.SHUTTING_DOWN, InstanceState.SHUTTING_DOWN));
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).as("a repeat sends nothing more").hasSize(1);
  }

  @Test
  void startWhileStoppingIsRefusedAndStopWhileStoppingIsARepeat() {
    f.commands.answer(c -> c.type().equals(CommandTypes.STOP_INSTANCE) ? null : FakeNodeCommands.ok(c));
    Instance i = t.runOne();
    List<String> id = List.of(i.instanceId());
    f.instances.stop(ALICE, id, false);
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPING);
    assertError(() -> f.instances.start(ALICE, id), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.reboot(ALICE, id), 400, "IncorrectInstanceState");
    assertThat(f.instances.stop(ALICE, id, true))
        .containsExactly(new StateChange(i.instanceId(), InstanceState.STOPPING, InstanceState.STOPPING));
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).hasSize(1);
  }

  @Test
  void terminateWhileStoppingAndWhileStoppedGoesToShuttingDown() {
    f.addNode("node-2", 4, 4096, 100);
    f.commands.answer(c -> c.type().equals(CommandTypes.STOP_INSTANCE) && c.payload().path("force").asBoolean() ? null : FakeNodeCommands.ok(c));
    Instance stopping = t.runOne();
    Instance stopped = t.runOne();
    f.instances.stop(ALICE, List.of(stopping.instanceId()), true);
    f.instances.stop(ALICE, List.of(stopped.instanceId()), false);
    assertThat(t.stateOf(stopping.instanceId())).isEqualTo(InstanceState.STOPPING);
    assertThat(t.stateOf(stopped.instanceId())).isEqualTo(InstanceState.STOPPED);

    assertThat(f.instances.terminate(ALICE, List.of(stopping.instanceId(), stopped.instanceId()))).containsExactly(
        new StateChange(stopping.instanceId(), InstanceState.STOPPING, InstanceState.SHUTTING_DOWN),
        new StateChange(stopped.instanceId(), InstanceState.STOPPED, InstanceState.SHUTTING_DOWN));
    assertThat(t.stateOf(stopping.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(t.stateOf(stopped.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1").plus(f.ledger.used("node-2"))).isEqualTo(Capacity.ZERO);
  }

  @Test
  void oneInstanceInTheWrongStateRefusesTheWholeCall() {
    Instance running = t.runOne();
    Instance stopped = t.runOne();
    f.instances.stop(ALICE, List.of(stopped.instanceId()), false);
    int stops = f.commands.sent(CommandTypes.STOP_INSTANCE).size();
    f.instances.terminate(ALICE, List.of(stopped.instanceId()));

    assertError(() -> f.instances.stop(ALICE, List.of(running.instanceId(), stopped.instanceId()), false), 400, "IncorrectInstanceState");
    assertThat(t.stateOf(running.instanceId())).as("the good one did not move either").isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).hasSize(stops);
  }

  @Test
  void oneUnknownIdRefusesTheWholeCallWithNotFound() {
    Instance running = t.runOne();
    assertError(() -> f.instances.terminate(ALICE, List.of(running.instanceId(), "i-0123456789abcdef0")), 400, "InvalidInstanceID.NotFound");
    assertError(() -> f.instances.stop(ALICE, List.of(running.instanceId(), "i-0123456789abcdef0"), false), 400, "InvalidInstanceID.NotFound");
    assertThat(t.stateOf(running.instanceId())).isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).isEmpty();
  }

  @Test
  void aMalformedIdIsMalformedNotNotFound() {
    t.runOne();
    assertError(() -> f.instances.terminate(ALICE, List.of("i-xyz")), 400, "InvalidInstanceID.Malformed");
    assertError(() -> f.instances.start(ALICE, List.of("instance-1")), 400, "InvalidInstanceID.Malformed");
    assertError(() -> f.instances.reboot(ALICE, List.of("i-0123456789ABCDEF0")), 400, "InvalidInstanceID.Malformed");
  }

  @Test
  void anotherAccountCannotStartRebootOrTerminate() {
    Instance i = t.runOne();
    List<String> id = List.of(i.instanceId());
    assertError(() -> f.instances.start(BOB, id), 400, "InvalidInstanceID.NotFound");
    assertError(() -> f.instances.reboot(BOB, id), 400, "InvalidInstanceID.NotFound");
    assertError(() -> f.instances.terminate(BOB, id), 400, "InvalidInstanceID.NotFound");
    assertThat(f.commands.sent(CommandTypes.REBOOT_INSTANCE)).isEmpty();
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aStopTheNodeRefusesLeavesTheInstanceRunning() {
    Instance i = t.runOne();
    f.commands.answer(FakeNodeCommands::refused);
    assertThat(f.instances.stop(ALICE, List.of(i.instanceId()), false))
        .containsExactly(new StateChange(i.instanceId(), InstanceState.RUNNING, InstanceState.STOPPING));
    assertThat(t.stateOf(i.instanceId())).as("the guest is still up").isEqualTo(InstanceState.RUNNING);
    assertThat(f.ledger.used("node-1")).as("still holds its capacity").isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void aStartTheNodeRefusesLeavesTheInstanceStopped() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    f.commands.answer(FakeNodeCommands::refused);
    assertThat(f.instances.start(ALICE, List.of(i.instanceId())))
        .containsExactly(new StateChange(i.instanceId(), InstanceState.STOPPED, InstanceState.PENDING));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPED);
    f.commands.answer(FakeNodeCommands::ok);
    f.instances.start(ALICE, List.of(i.instanceId()));
    assertThat(t.stateOf(i.instanceId())).as("a later start works").isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void anUnreachableNodeCountsAsARefusal() {
    Instance i = t.runOne();
    f.commands.unreachable(new IllegalStateException("connection reset"));
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    assertThat(t.stateOf(i.instanceId())).as("no ack: the guest is taken to be still up").isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aStopTheNodeNeverAcksIsFinishedByTheNextHeartbeat() {
    Instance i = t.runOne();
    f.commands.answer(c -> null);
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPING);
    t.later(5);
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "shutoff")), t.now.get());
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPED);
    assertThat(f.ledger.used("node-1")).as("a stopped instance keeps its place").isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void aTerminateTheNodeRefusesHoldsCapacityUntilTheDomainIsGone() {
    Instance i = t.runOne();
    f.commands.answer(FakeNodeCommands::refused);
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.SHUTTING_DOWN);
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));

    t.later(5);
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "running")), t.now.get());
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).as("the heartbeat asks again").hasSize(2);
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.SHUTTING_DOWN);

    f.instances.reconcile("node-1", List.of(), t.now.get());
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    f.instances.reconcile("node-1", List.of(), t.now.get());
    assertThat(f.ledger.used("node-1")).as("released once, not twice").isEqualTo(Capacity.ZERO);
  }

  @Test
  void terminationProtectionRefusesTheWholeCallBeforeAnythingMoves() {
    Instance guarded = f.instances.run(ALICE, t.launch(1, 1, null, InstanceAttributes.DEFAULTS.withDisableApiTermination(true)))
        .instances().get(0);
    Instance free = t.runOne();
    assertError(() -> f.instances.terminate(ALICE, List.of(free.instanceId(), guarded.instanceId())), 400, "OperationNotPermitted");
    assertThat(t.stateOf(free.instanceId())).isEqualTo(InstanceState.RUNNING);
    assertThat(t.stateOf(guarded.instanceId())).isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).isEmpty();

    f.instances.modifyAttribute(ALICE, guarded.instanceId(), new AttributeChange.DisableApiTermination(false));
    f.instances.terminate(ALICE, List.of(guarded.instanceId()));
    assertThat(t.stateOf(guarded.instanceId())).isEqualTo(InstanceState.TERMINATED);
  }

  @Test
  void stopProtectionRefusesOnlyAnInstanceItWouldStop() {
    Instance guarded = f.instances.run(ALICE, t.launch(1, 1, null, InstanceAttributes.DEFAULTS.withDisableApiStop(true)))
        .instances().get(0);
    assertError(() -> f.instances.stop(ALICE, List.of(guarded.instanceId()), false), 400, "OperationNotPermitted");
    assertError(() -> f.instances.stop(ALICE, List.of(guarded.instanceId()), true), 400, "OperationNotPermitted");
    assertThat(t.stateOf(guarded.instanceId())).isEqualTo(InstanceState.RUNNING);
    // Stop protection is no termination protection.
    f.instances.terminate(ALICE, List.of(guarded.instanceId()));
    assertThat(t.stateOf(guarded.instanceId())).isEqualTo(InstanceState.TERMINATED);
  }

  @Test
  void stopAndTerminateRecordAUserInitiatedReason() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    Instance stopped = t.described(i.instanceId());
    assertThat(stopped.stateReason()).isEqualTo(StateReason.USER_SHUTDOWN);
    assertThat(stopped.stateTransitionReason()).isEqualTo("User initiated (2026-01-01 00:00:00 GMT)");
    t.later(61);
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertThat(t.described(i.instanceId()).stateTransitionReason()).isEqualTo("User initiated (2026-01-01 00:01:01 GMT)");
  }

  @Test
  void aStartClearsTheStopReason() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    f.instances.start(ALICE, List.of(i.instanceId()));
    Instance started = t.described(i.instanceId());
    assertThat(started.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(started.stateReason()).isNull();
    assertThat(started.stateTransitionReason()).isEmpty();
  }

  @Test
  void aForcedStopTellsTheNodeToForce() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), true);
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).singleElement()
        .satisfies(s -> assertThat(s.command().payload().path("force").asBoolean()).isTrue());
  }

  @Test
  void rebootOfARunningInstanceKeepsItsStateAndReachesItsNode() {
    f.addNode("node-2", 4, 4096, 100);
    Instance a = t.runOne();
    Instance b = t.runOne();
    f.instances.reboot(ALICE, List.of(a.instanceId(), b.instanceId()));
    assertThat(f.commands.sent(CommandTypes.REBOOT_INSTANCE))
        .extracting(s -> s.nodeId() + "/" + s.command().payload().path("instanceId").asText())
        .containsExactlyInAnyOrder(a.nodeId() + "/" + a.instanceId(), b.nodeId() + "/" + b.instanceId());
    assertThat(t.stateOf(a.instanceId())).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aNodeThatGoesSilentImpairsItsInstancesWhichStayListed() {
    f.addNode("node-2", 4, 4096, 100);
    Instance a = t.runOne();
    Instance b = t.runOne();
    Instance onNode1 = a.nodeId().equals("node-1") ? a : b;
    Instance onNode2 = onNode1 == a ? b : a;
    f.instances.nodeAvailability("node-1", false);
    t.later(3600 * 5);
    assertThat(f.instances.purgeExpired()).as("a silent node's instances are never purged").isZero();
    Instance impaired = t.described(onNode1.instanceId());
    assertThat(impaired.impaired()).isTrue();
    assertThat(impaired.state()).as("the state is kept, not guessed").isEqualTo(InstanceState.RUNNING);
    assertThat(t.described(onNode2.instanceId()).impaired()).isFalse();
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), null, null).instances()).hasSize(2);

    f.instances.nodeAvailability("node-1", true);
    assertThat(t.described(onNode1.instanceId()).impaired()).isFalse();
  }

  @Test
  void terminatedInstancesOfASilentNodeAreNotImpaired() {
    Instance i = t.runOne();
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    f.instances.nodeAvailability("node-1", false);
    assertThat(t.described(i.instanceId()).impaired()).isFalse();
  }
}
