package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each row of the table in {@link Reconciler}, and the rows it must not act on. */
class ReconcilerTest {

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  private void heartbeat(DomainReport... domains) {
    t.later(5);
    f.instances.reconcile("node-1", List.of(domains), t.now.get());
  }

  @Test
  void pendingReportedRunningIsRunning() {
    f.commands.answer(c -> null);
    Instance i = t.runOne();
    heartbeat(new DomainReport(i.instanceId(), "running"));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void pendingNotYetReportedStaysPending() {
    f.commands.answer(c -> null);
    Instance i = t.runOne();
    heartbeat();
    heartbeat(new DomainReport(i.instanceId(), "shutoff"));
    assertThat(t.stateOf(i.instanceId())).as("the image may still be downloading").isEqualTo(InstanceState.PENDING);
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void stoppingReportedAbsentIsStopped() {
    Instance i = t.runOne();
    f.commands.answer(c -> null);
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    heartbeat();
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPED);
  }

  @Test
  void stoppingReportedRunningWaitsForTheStop() {
    Instance i = t.runOne();
    f.commands.answer(c -> null);
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    heartbeat(new DomainReport(i.instanceId(), "running"));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPING);
  }

  @Test
  void aCrashedGuestIsStoppedWithAnInstanceInitiatedReason() {
    Instance i = t.runOne();
    heartbeat(new DomainReport(i.instanceId(), "crashed"));
    Instance after = t.described(i.instanceId());
    assertThat(after.state()).isEqualTo(InstanceState.STOPPED);
    assertThat(after.stateReason()).isEqualTo(Reconciler.GUEST_SHUTDOWN);
    assertThat(f.ledger.used("node-1")).as("a stopped instance keeps its place").isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void aGuestShutdownWithBehaviourTerminateTerminatesAndReleases() {
    Instance i = f.instances.run(ALICE, t.launch(1, 1, null, InstanceAttributes.DEFAULTS.withShutdownBehavior(ShutdownBehavior.TERMINATE)))
        .instances().get(0);
    heartbeat(new DomainReport(i.instanceId(), "shutoff"));
    Instance after = t.described(i.instanceId());
    assertThat(after.state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(after.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).hasSize(1);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void aGuestShutdownWithBehaviourTerminateWaitsForTheNodeWhenItDoesNotAnswer() {
    Instance i = f.instances.run(ALICE, t.launch(1, 1, null, InstanceAttributes.DEFAULTS.withShutdownBehavior(ShutdownBehavior.TERMINATE)))
        .instances().get(0);
    f.commands.answer(c -> null);
    heartbeat(new DomainReport(i.instanceId(), "shutoff"));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.SHUTTING_DOWN);
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));
    heartbeat();
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void aRunningReportForARunningInstanceChangesNothing() {
    Instance i = t.runOne();
    int sent = f.commands.sent().size();
    heartbeat(new DomainReport(i.instanceId(), "running"));
    heartbeat(new DomainReport(i.instanceId(), "running"));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent()).hasSize(sent);
  }

  @Test
  void aStoppedInstanceReportedShutOffOrAbsentIsLeftAlone() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    int sent = f.commands.sent().size();
    heartbeat(new DomainReport(i.instanceId(), "shutoff"));
    heartbeat();
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.STOPPED);
    assertThat(f.commands.sent()).hasSize(sent);
  }

  @Test
  void aDomainWithNoInstanceRecordIsLeftAlone() {
    Instance mine = t.runOne();
    int sent = f.commands.sent().size();
    heartbeat(new DomainReport(mine.instanceId(), "running"), new DomainReport("i-0123456789abcdef0", "running"));
    assertThat(f.commands.sent()).as("it may belong to another cloud sharing the libvirtd").hasSize(sent);
  }

  @Test
  void anotherNodesReportDoesNotTouchThisNodesInstances() {
    f.addNode("node-2", 4, 4096, 100);
    Instance a = t.runOne();
    Instance b = t.runOne();
    Instance onNode1 = a.nodeId().equals("node-1") ? a : b;
    Instance onNode2 = onNode1 == a ? b : a;
    t.later(5);
    f.instances.reconcile("node-1", List.of(new DomainReport(onNode1.instanceId(), "running")), t.now.get());
    assertThat(t.stateOf(onNode2.instanceId())).as("absent from node-1's report, but it lives on node-2").isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(2);
  }

  @Test
  void aHeartbeatEndsImpairmentOnlyForItsNode() {
    f.addNode("node-2", 4, 4096, 100);
    Instance a = t.runOne();
    Instance b = t.runOne();
    f.instances.nodeAvailability("node-1", false);
    f.instances.nodeAvailability("node-2", false);
    heartbeat(new DomainReport(a.nodeId().equals("node-1") ? a.instanceId() : b.instanceId(), "running"));
    Instance onNode1 = a.nodeId().equals("node-1") ? a : b;
    Instance onNode2 = onNode1 == a ? b : a;
    assertThat(t.described(onNode1.instanceId()).impaired()).isFalse();
    assertThat(t.described(onNode2.instanceId()).impaired()).isTrue();
  }

  @Test
  void aTerminatedInstanceWhoseDomainReappearsIsDestroyedWithoutAnotherRelease() {
    Instance i = t.runOne();
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    int terminates = f.commands.sent(CommandTypes.TERMINATE_INSTANCE).size();
    heartbeat(new DomainReport(i.instanceId(), "shutoff"));
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).hasSize(terminates + 1);
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void aReDriveForStoppedAndOneForRunningAreCountedApart() {
    Instance i = t.runOne();
    heartbeat(); // running, no domain: runInstance again
    int runs = f.commands.sent(CommandTypes.RUN_INSTANCE).size();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    int stops = f.commands.sent(CommandTypes.STOP_INSTANCE).size();
    heartbeat(new DomainReport(i.instanceId(), "running"));
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).as("a new intent is not held back by the run re-drive").hasSize(stops + 1);
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(runs);
  }
}
