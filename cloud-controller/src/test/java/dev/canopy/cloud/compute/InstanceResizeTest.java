package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.scheduler.Capacity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ModifyInstanceAttribute InstanceType on a stopped instance resizes its reservation in place on
 * its node (node-1: 4 vCPUs, 4096 MiB, 100 GiB): the node's ledger always equals what its
 * instances hold, and a change that does not fit, or comes in the wrong state, changes nothing.
 */
class InstanceResizeTest {

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  private Instance stoppedMicro() {
    Instance i = t.runOne();
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    return i;
  }

  private void resize(Instance i, String type) {
    f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.InstanceType(type));
  }

  @Test
  void growingReservesTheDifferenceOnTheSameNode() {
    Instance i = stoppedMicro();
    resize(i, "t3.medium");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 4096, 16));
    Instance after = t.described(i.instanceId());
    assertThat(after.instanceType()).isEqualTo("t3.medium");
    assertThat(after.reserved()).isEqualTo(new Capacity(2, 4096, 16));
    assertThat(after.nodeId()).isEqualTo(i.nodeId());
  }

  @Test
  void shrinkingGivesTheDifferenceBack() {
    Instance i = stoppedMicro();
    resize(i, "t3.nano");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 512, 8));
  }

  @Test
  void aGrowthTheNodeCannotHoldIsInsufficientCapacityAndChangesNothing() {
    Instance i = stoppedMicro();
    t.runOne(); // the node now holds 2048 MiB: growing to 4096 MiB needs 3072 more, 2048 are free
    assertError(() -> resize(i, "t3.medium"), 500, "InsufficientInstanceCapacity");
    assertThat(t.described(i.instanceId()).instanceType()).isEqualTo("t3.micro");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(4, 2048, 16));
  }

  @Test
  void aRunningOrPendingInstanceCannotChangeType() {
    Instance running = t.runOne();
    assertError(() -> resize(running, "t3.small"), 400, "IncorrectInstanceState");
    f.commands.answer(c -> null);
    Instance pending = t.runOne();
    assertError(() -> resize(pending, "t3.small"), 400, "IncorrectInstanceState");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(4, 2048, 16));
  }

  @Test
  void aTerminatedInstanceCannotChangeAnything() {
    Instance i = t.runOne();
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertError(() -> resize(i, "t3.small"), 400, "IncorrectInstanceState");
    assertError(() -> f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.DisableApiTermination(true)), 400,
        "IncorrectInstanceState");
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void anUnknownTypeIsInvalidParameterValue() {
    Instance i = stoppedMicro();
    assertError(() -> resize(i, "x9.mega"), 400, "InvalidParameterValue");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void theSameTypeIsANoOp() {
    Instance i = stoppedMicro();
    resize(i, "t3.micro");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));
  }

  @Test
  void terminatingAResizedInstanceReleasesItsNewSize() {
    Instance i = stoppedMicro();
    resize(i, "t3.medium");
    resize(i, "t3.small");
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 2048, 8));
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void userDataChangesOnlyWhileStopped() {
    Instance i = t.runOne();
    assertError(() -> f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.UserData("aGk=")), 400,
        "IncorrectInstanceState");
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.UserData("aGk="));
    assertThat(t.described(i.instanceId()).userData()).isEqualTo("aGk=");
  }

  @Test
  void anotherAccountCannotModifyTheInstance() {
    Instance i = stoppedMicro();
    assertError(() -> f.instances.modifyAttribute(BOB, i.instanceId(), new AttributeChange.InstanceType("t3.nano")), 400,
        "InvalidInstanceID.NotFound");
    assertError(() -> f.instances.modifyAttribute(ALICE, "i-nope", new AttributeChange.InstanceType("t3.nano")), 400,
        "InvalidInstanceID.Malformed");
    assertThat(t.described(i.instanceId()).instanceType()).isEqualTo("t3.micro");
  }

  @Test
  void unknownGroupsAreRefusedAndTheInstanceKeepsItsOwn() {
    Instance i = t.runOne();
    assertError(() -> f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.Groups(List.of("sg-0000000000000000f"))), 400,
        "InvalidGroup.NotFound");
    assertThat(t.described(i.instanceId()).groups()).extracting(GroupRef::groupId).containsExactly("sg-00000000000000001");
  }
}
