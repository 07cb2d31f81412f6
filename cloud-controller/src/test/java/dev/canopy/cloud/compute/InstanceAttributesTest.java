package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules of ModifyInstanceAttribute and what the attributes change elsewhere; DescribeInstanceStatus. */
class InstanceAttributesTest {

  private static final String ALICE = "111111111111";
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private ComputeFixture f;

  @BeforeEach
  void setUp() {
    f = new ComputeFixture(new InMemoryTables(), now::get, 7);
    f.addNode("node-1", 4, 8192, 100);
  }

  private Instance launch(InstanceAttributes attributes) {
    return f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, null, List.of(), List.of(), null,
        null, null, Map.of(), attributes)).instances().get(0);
  }

  private Instance launch() {
    return launch(InstanceAttributes.DEFAULTS);
  }

  private Instance get(String id) {
    return f.instances.describeAttributes(ALICE, id);
  }

  private Instance modify(String id, AttributeChange change) {
    return f.instances.modifyAttribute(ALICE, id, change);
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void launchAttributesAreRecordedAndDefaultsAreEc2s() {
    Instance plain = launch();
    assertThat(plain.attributes()).isEqualTo(new InstanceAttributes(false, false, ShutdownBehavior.STOP, true));
    Instance guarded = launch(new InstanceAttributes(true, true, ShutdownBehavior.TERMINATE, true));
    assertThat(get(guarded.instanceId()).attributes().disableApiTermination()).isTrue();
    assertThat(get(guarded.instanceId()).attributes().shutdownBehavior()).isEqualTo(ShutdownBehavior.TERMINATE);
  }

  @Test
  void terminationProtectionRefusesTheWholeCallUntilSwitchedOff() {
    Instance open = launch();
    Instance guarded = launch(InstanceAttributes.DEFAULTS.withDisableApiTermination(true));
    List<String> both = List.of(open.instanceId(), guarded.instanceId());
    assertThatThrownBy(() -> f.instances.terminate(ALICE, both)).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo("OperationNotPermitted");
      assertThat(e.getMessage()).contains("'" + guarded.instanceId() + "' may not be terminated")
          .contains("Modify its 'disableApiTermination' instance attribute and try again.");
    });
    assertThat(get(open.instanceId()).state()).as("nothing moved").isEqualTo(InstanceState.RUNNING);
    assertThat(get(guarded.instanceId()).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).isEmpty();
    f.instances.stop(ALICE, List.of(guarded.instanceId()), false);
    assertCode(() -> f.instances.terminate(ALICE, List.of(guarded.instanceId())), "OperationNotPermitted");
    modify(guarded.instanceId(), new AttributeChange.DisableApiTermination(false));
    assertThat(f.instances.terminate(ALICE, both)).extracting(StateChange::current)
        .containsExactly(InstanceState.SHUTTING_DOWN, InstanceState.SHUTTING_DOWN);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void stopProtectionRefusesStopEvenForced() {
    Instance i = launch();
    modify(i.instanceId(), new AttributeChange.DisableApiStop(true));
    assertCode(() -> f.instances.stop(ALICE, List.of(i.instanceId()), false), "OperationNotPermitted");
    assertCode(() -> f.instances.stop(ALICE, List.of(i.instanceId()), true), "OperationNotPermitted");
    assertThat(get(i.instanceId()).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).isEmpty();
    assertThat(f.instances.terminate(ALICE, List.of(i.instanceId())).get(0).current())
        .as("stop protection does not protect from termination").isEqualTo(InstanceState.SHUTTING_DOWN);
  }

  @Test
  void guestShutdownStopsByDefaultAndTerminatesWhenAskedReleasingCapacity() {
    Instance stays = launch();
    Instance goes = launch();
    modify(goes.instanceId(), new AttributeChange.InstanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE));
    f.instances.reconcile("node-1", List.of(new DomainReport(stays.instanceId(), "shutoff"), new DomainReport(goes.instanceId(), "shutoff")));
    assertThat(get(stays.instanceId()).state()).isEqualTo(InstanceState.STOPPED);
    Instance gone = get(goes.instanceId());
    assertThat(gone.state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(gone.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).extracting(s -> s.command().payload().path("instanceId").asText())
        .containsExactly(goes.instanceId());
    assertThat(f.ledger.used("node-1")).as("only the stopped one still holds capacity").isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void guestShutdownWithTerminateSurvivesALostAck() {
    Instance i = launch(InstanceAttributes.DEFAULTS.withShutdownBehavior(ShutdownBehavior.TERMINATE));
    f.commands.answer(c -> null);
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "shutoff")));
    assertThat(get(i.instanceId()).state()).isEqualTo(InstanceState.SHUTTING_DOWN);
    f.instances.reconcile("node-1", List.of());
    assertThat(get(i.instanceId()).state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void typeAndUserDataChangeOnlyWhileStoppedAndTheReservationFollows() {
    Instance i = launch();
    String id = i.instanceId();
    assertCode(() -> modify(id, new AttributeChange.InstanceType("t3.small")), "IncorrectInstanceState");
    assertCode(() -> modify(id, new AttributeChange.UserData("aGk=")), "IncorrectInstanceState");
    f.instances.stop(ALICE, List.of(id), false);
    assertCode(() -> modify(id, new AttributeChange.InstanceType("x9.huge")), "InvalidParameterValue");
    assertThat(modify(id, new AttributeChange.InstanceType("t3.medium")).instanceType()).isEqualTo("t3.medium");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 4096, 16));
    assertCode(() -> modify(id, new AttributeChange.InstanceType("m5.xlarge")), "InsufficientInstanceCapacity");
    assertThat(f.ledger.used("node-1")).as("a refused resize reserves nothing").isEqualTo(new Capacity(2, 4096, 16));
    assertThat(get(id).instanceType()).isEqualTo("t3.medium");
    modify(id, new AttributeChange.InstanceType("t3.nano"));
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 512, 8));
    assertThat(modify(id, new AttributeChange.UserData("aGk=")).userData()).isEqualTo("aGk=");
    f.instances.terminate(ALICE, List.of(id));
    assertThat(f.ledger.used("node-1")).as("the resized reservation is what termination releases").isEqualTo(Capacity.ZERO);
    assertCode(() -> modify(id, new AttributeChange.SourceDestCheck(false)), "IncorrectInstanceState");
  }

  @Test
  void groupsAndSourceDestCheckChangeInAnyLiveState() {
    Instance i = launch();
    assertCode(() -> modify(i.instanceId(), new AttributeChange.Groups(List.of("sg-0123456789abcdef0"))), "InvalidGroup.NotFound");
    assertThat(modify(i.instanceId(), new AttributeChange.Groups(List.of("sg-00000000000000001"))).groups())
        .extracting(GroupRef::groupId).containsExactly("sg-00000000000000001");
    assertThat(modify(i.instanceId(), new AttributeChange.SourceDestCheck(false)).attributes().sourceDestCheck()).isFalse();
    assertThat(get(i.instanceId()).state()).isEqualTo(InstanceState.RUNNING);
    assertCode(() -> f.instances.modifyAttribute("222222222222", i.instanceId(), new AttributeChange.DisableApiStop(true)),
        "InvalidInstanceID.NotFound");
  }

  @Test
  void statusFollowsStateAndNodeHeartbeats() {
    Instance running = launch();
    Instance stopped = launch();
    f.instances.stop(ALICE, List.of(stopped.instanceId()), false);
    List<InstanceStatus> onlyRunning = f.instances.describeStatus(ALICE, List.of(), false, List.of(), null, null).statuses();
    assertThat(onlyRunning).containsExactly(new InstanceStatus(running.instanceId(), "canopy-1a", InstanceState.RUNNING,
        InstanceStatus.Health.OK, InstanceStatus.Health.OK));
    assertThat(f.instances.describeStatus(ALICE, List.of(stopped.instanceId()), false, List.of(), null, null).statuses()).isEmpty();
    assertThat(f.instances.describeStatus(ALICE, List.of(), true, List.of(), null, null).statuses())
        .extracting(InstanceStatus::instanceId, InstanceStatus::system, InstanceStatus::instance)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(running.instanceId(), InstanceStatus.Health.OK, InstanceStatus.Health.OK),
            org.assertj.core.groups.Tuple.tuple(stopped.instanceId(), InstanceStatus.Health.NOT_APPLICABLE, InstanceStatus.Health.NOT_APPLICABLE));
    f.instances.nodeAvailability("node-1", false);
    InstanceStatus impaired = f.instances.describeStatus(ALICE, List.of(running.instanceId()), false, List.of(), null, null).statuses().get(0);
    assertThat(impaired.system()).isEqualTo(InstanceStatus.Health.IMPAIRED);
    assertThat(impaired.instance()).isEqualTo(InstanceStatus.Health.INSUFFICIENT_DATA);
    assertThat(f.instances.describeStatus(ALICE, List.of(), true, List.of(new Filter("system-status.status", List.of("impaired"))), null, null)
        .statuses()).extracting(InstanceStatus::instanceId).containsExactly(running.instanceId());
    f.instances.reconcile("node-1", List.of(new DomainReport(running.instanceId(), "running"), new DomainReport(stopped.instanceId(), "shutoff")));
    assertThat(f.instances.describeStatus(ALICE, List.of(), false, List.of(), null, null).statuses().get(0).system())
        .isEqualTo(InstanceStatus.Health.OK);
    assertCode(() -> f.instances.describeStatus(ALICE, List.of(), true, List.of(new Filter("colour", List.of("x"))), null, null),
        "InvalidParameterValue");
  }
}
