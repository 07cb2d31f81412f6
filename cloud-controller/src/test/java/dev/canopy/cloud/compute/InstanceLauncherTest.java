package dev.canopy.cloud.compute;

import static dev.canopy.cloud.compute.ComputeTestSupport.ALICE;
import static dev.canopy.cloud.compute.ComputeTestSupport.BOB;
import static dev.canopy.cloud.compute.ComputeTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RunInstances' failure paths and its client token, as a user retrying a launch sees them: the
 * capacity a failed launch took is given back, a token names one reservation, and a token
 * reused with other parameters is refused with IdempotentParameterMismatch.
 */
class InstanceLauncherTest {

  private final ComputeTestSupport t = new ComputeTestSupport();
  private final ComputeFixture f = t.f;

  @Test
  void minCountBeyondCapacityIsInsufficientCapacityAndReservesNothing() {
    assertError(() -> f.instances.run(ALICE, t.launch(3, 3, null)), 500, "InsufficientInstanceCapacity");
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    assertThat(f.commands.sent()).as("no node was asked").isEmpty();
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), null, null).instances()).isEmpty();
  }

  @Test
  void maxCountBeyondCapacityLaunchesWhatFits() {
    Reservation r = f.instances.run(ALICE, t.launch(1, 5, null));
    assertThat(r.instances()).hasSize(2);
    assertThat(r.instances()).extracting(Instance::amiLaunchIndex).containsExactly(0, 1);
    assertThat(r.instances()).extracting(Instance::reservationId).containsOnly(r.reservationId());
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(4, 2048, 16));
    assertError(() -> f.instances.run(ALICE, t.launch(1, 1, null)), 500, "InsufficientInstanceCapacity");
  }

  @Test
  void aNodeThatNeverAnswersLeavesTheInstancePendingWithItsCapacityHeld() {
    f.commands.answer(c -> null);
    Instance i = t.runOne();
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.PENDING);
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(2, 1024, 8));
    // The user can still give it up; the capacity comes back when the node confirms.
    f.commands.answer(FakeNodeCommands::ok);
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void aRefusedLaunchFreesItsPlaceForTheNextOne() {
    f.commands.answer(c -> c.type().equals(CommandTypes.RUN_INSTANCE) ? FakeNodeCommands.refused(c) : FakeNodeCommands.ok(c));
    Reservation failed = f.instances.run(ALICE, t.launch(2, 2, null));
    assertThat(failed.instances()).extracting(i -> t.stateOf(i.instanceId())).containsOnly(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    f.commands.answer(FakeNodeCommands::ok);
    assertThat(f.instances.run(ALICE, t.launch(2, 2, null)).instances()).extracting(i -> t.stateOf(i.instanceId()))
        .containsOnly(InstanceState.RUNNING);
  }

  @Test
  void anUnreachableNodeFailsTheLaunchWithAReasonThatSaysSo() {
    f.commands.unreachable(new IllegalStateException("connection refused"));
    Instance i = t.runOne();
    Instance after = t.described(i.instanceId());
    assertThat(after.state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(after.stateReason().code()).isEqualTo("Server.InternalError");
    assertThat(after.stateReason().message()).startsWith("Server.InternalError: Internal error on launch (Unreachable: ");
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void aNodesLongFailureMessageIsCutInTheStateReason() {
    String longMessage = "x".repeat(5000);
    f.commands.answer(c -> new Ack(c.id(), false, "LibvirtError", longMessage, c.epoch(), null));
    Instance i = t.runOne();
    String message = t.described(i.instanceId()).stateReason().message();
    assertThat(message).hasSizeLessThan(StateReason.NODE_MESSAGE_CHARS_MAX + 100).endsWith("…)");
  }

  @Test
  void aLateOkAfterTerminateDoesNotReviveTheInstance() {
    f.commands.answer(c -> null);
    Instance i = t.runOne();
    f.commands.answer(FakeNodeCommands::ok);
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    // The runInstance ack arrives now: the instance must stay terminated and nothing be released twice.
    f.instances.reconcile("node-1", List.of(new dev.canopy.node.protocol.DomainReport(i.instanceId(), "running")));
    assertThat(t.stateOf(i.instanceId())).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void theRunningAckCarriesThePrivateAddress() {
    f.commands.answer(c -> new Ack(c.id(), true, null, null, c.epoch(),
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("privateIp", "10.0.0.7")));
    Instance i = t.runOne();
    assertThat(t.described(i.instanceId()).privateIp()).isEqualTo("10.0.0.7");
  }

  @Test
  void sameTokenSameParametersIsTheSameReservationEvenAfterTheInstancesMoved() {
    Reservation first = f.instances.run(ALICE, t.launch(1, 2, "retry-1"));
    f.instances.stop(ALICE, List.of(first.instances().get(0).instanceId()), false);
    Reservation again = f.instances.run(ALICE, t.launch(1, 2, "retry-1"));
    assertThat(again.reservationId()).isEqualTo(first.reservationId());
    assertThat(again.instances()).extracting(Instance::instanceId)
        .containsExactlyElementsOf(first.instances().stream().map(Instance::instanceId).toList());
    assertThat(again.instances().get(0).state()).as("the replay shows today's state").isEqualTo(InstanceState.STOPPED);
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).as("nothing launched twice").hasSize(2);
  }

  @Test
  void sameTokenWithAnyOtherParameterIsIdempotentParameterMismatch() {
    f.addNode("node-2", 16, 65536, 1000);
    f.instances.run(ALICE, t.launch(1, 1, "tok"));
    LaunchRequest base = t.launch(1, 1, "tok");
    List<LaunchRequest> others = List.of(
        new LaunchRequest(base.imageId(), "t3.small", 1, 1, "k1", List.of(), List.of(), null, null, "tok", Map.of("Name", "web")),
        new LaunchRequest(base.imageId(), "t3.micro", 1, 1, null, List.of(), List.of(), null, null, "tok", Map.of("Name", "web")),
        new LaunchRequest(base.imageId(), "t3.micro", 1, 1, "k1", List.of(), List.of(), null, "aGk=", "tok", Map.of("Name", "web")),
        new LaunchRequest(base.imageId(), "t3.micro", 1, 1, "k1", List.of(), List.of(), null, null, "tok", Map.of("Name", "db")),
        new LaunchRequest(base.imageId(), "t3.micro", 1, 1, "k1", List.of(), List.of(), "canopy-1a", null, "tok", Map.of("Name", "web")),
        t.launch(1, 1, "tok", InstanceAttributes.DEFAULTS.withDisableApiTermination(true)));
    for (LaunchRequest other : others) {
      assertError(() -> f.instances.run(ALICE, other), 400, "IdempotentParameterMismatch");
    }
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), null, null).instances()).hasSize(1);
  }

  @Test
  void aTokenWhoseLaunchFailedValidationIsFreeForTheRetry() {
    assertError(() -> f.instances.run(ALICE, t.launch(3, 3, "tok")), 500, "InsufficientInstanceCapacity");
    // The client fixes its request and retries with the same token: not a mismatch.
    Reservation r = f.instances.run(ALICE, t.launch(1, 1, "tok"));
    assertThat(r.instances()).hasSize(1);
    assertThat(f.instances.run(ALICE, t.launch(1, 1, "tok")).reservationId()).isEqualTo(r.reservationId());
  }

  @Test
  void aTokenIsRememberedPastTheNodesRefusal() {
    f.commands.answer(FakeNodeCommands::refused);
    Reservation failed = f.instances.run(ALICE, t.launch(1, 1, "tok"));
    f.commands.answer(FakeNodeCommands::ok);
    // The launch was accepted (and failed on the node): a retry must not launch again.
    Reservation again = f.instances.run(ALICE, t.launch(1, 1, "tok"));
    assertThat(again.reservationId()).isEqualTo(failed.reservationId());
    assertThat(again.instances()).singleElement().extracting(Instance::state).isEqualTo(InstanceState.TERMINATED);
  }

  @Test
  void tokensOfTwoAccountsDoNotMeet() {
    Reservation alice = f.instances.run(ALICE, t.launch(1, 1, "shared"));
    Reservation bob = f.instances.run(BOB, t.launch(1, 1, "shared"));
    assertThat(bob.reservationId()).isNotEqualTo(alice.reservationId());
    assertThat(bob.instances()).extracting(Instance::ownerId).containsOnly(BOB);
    // Bob's other parameters do not collide with Alice's token.
    f.instances.terminate(BOB, List.of(bob.instances().get(0).instanceId()));
    assertThat(f.instances.run(ALICE, t.launch(1, 1, "shared")).reservationId()).isEqualTo(alice.reservationId());
  }

  @Test
  void theReservationIsInLaunchIndexOrderOnReplay() {
    Reservation first = f.instances.run(ALICE, t.launch(2, 2, "order"));
    Reservation again = f.instances.run(ALICE, t.launch(2, 2, "order"));
    assertThat(again.instances()).extracting(Instance::amiLaunchIndex).containsExactly(0, 1);
    assertThat(again.instances()).extracting(Instance::instanceId)
        .containsExactly(first.instances().get(0).instanceId(), first.instances().get(1).instanceId());
  }

  @Test
  void launchTagsLandOnEachInstance() {
    Reservation r = f.instances.run(ALICE, t.launch(2, 2, null));
    for (Instance i : r.instances()) {
      assertThat(f.instances.tagsOf(ALICE, i.instanceId())).containsExactly(Map.entry("Name", "web"));
    }
  }

  @Test
  void anotherAccountsImageIsNotFound() {
    LaunchRequest unknown = new LaunchRequest("ami-0123456789abcdef0", "t3.micro", 1, 1, null, List.of(), List.of(), null, null, null, Map.of());
    assertError(() -> f.instances.run(ALICE, unknown), 400, "InvalidAMIID.NotFound");
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
  }

  @Test
  void countsBelowOneOrInvertedAreRejectedBeforeTheDomain() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.launch(0, 1, null)).isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.launch(2, 1, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
