package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.DomainReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private ComputeFixture f;

  @BeforeEach
  void setUp() {
    f = new ComputeFixture(new InMemoryTables(), now::get, 42);
    f.addNode("node-1", 4, 4096, 100);
  }

  private LaunchRequest launch(int min, int max, String token) {
    return new LaunchRequest(f.systemImage.imageId(), "t3.micro", min, max, "k1", List.of(), List.of(), null, null, token, Map.of("Name", "web"));
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void aLaunchWhoseInstanceRecordsCannotBeWrittenGivesTheirCapacityBack() {
    InMemoryTables memory = new InMemoryTables();
    boolean[] refuseInstances = {false};
    f = new ComputeFixture(new ComputeFixture.Tables() {
      @Override
      public <T> dev.canopy.cloud.grid.Table<T> table(String name, Class<T> type) {
        dev.canopy.cloud.grid.Table<T> table = memory.table(name, type);
        return !name.equals(InstanceService.INSTANCES_MAP) ? table : new RefusingPuts<>(table, () -> refuseInstances[0]);
      }
    }, now::get, 42);
    f.addNode("node-1", 4, 4096, 100);
    refuseInstances[0] = true;

    // As the grid refuses a write during a failover, or a fenced one.
    assertThatThrownBy(() -> f.instances.run(ALICE, launch(1, 2, null))).isInstanceOf(IllegalStateException.class);

    assertThat(f.ledger.used("node-1")).as("nothing holds the placements").isEqualTo(new Capacity(0, 0, 0));
    refuseInstances[0] = false;
    assertThat(f.instances.run(ALICE, launch(2, 2, null)).instances()).as("the whole node is free again").hasSize(2);
  }

  /** A table whose puts fail while {@code refusing} says so, as a grid without a majority does. */
  private record RefusingPuts<T>(dev.canopy.cloud.grid.Table<T> delegate, java.util.function.BooleanSupplier refusing)
      implements dev.canopy.cloud.grid.ForwardingTable<T> {
    @Override
    public void put(String key, T value) {
      if (refusing.getAsBoolean()) {
        throw new IllegalStateException("refused: no majority");
      }
      delegate.put(key, value);
    }
  }


  @Test
  void runLaunchesAsManyAsFitAndAcksMakeThemRunning() {
    f.commands.answer(c -> new Ack(c.id(), true, null, null, 1, JsonNodeFactory.instance.objectNode().put("privateIp", "10.0.0.7")));
    Reservation r = f.instances.run(ALICE, launch(1, 5, null));
    assertThat(r.instances()).hasSize(2).allMatch(i -> i.state() == InstanceState.PENDING).allMatch(i -> i.epoch() == 1);
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(2).allMatch(s -> s.command().epoch() == 1);
    List<Instance> described = f.instances.describe(ALICE, List.of(), List.of(), null, null).instances();
    assertThat(described).allMatch(i -> i.state() == InstanceState.RUNNING && "10.0.0.7".equals(i.privateIp()));
    assertThat(f.ledger.used("node-1")).isEqualTo(new Capacity(4, 2048, 16));
    assertCode(() -> f.instances.run(ALICE, launch(3, 3, null)), "InsufficientInstanceCapacity");
    assertThat(f.ledger.used("node-1")).as("a refused launch leaves no reservation").isEqualTo(new Capacity(4, 2048, 16));
  }

  @Test
  void failedLaunchTerminatesWithServerInternalErrorAndFreesCapacity() {
    f.commands.answer(FakeNodeCommands::refused);
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    Instance after = f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0);
    assertThat(after.state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(after.stateReason().code()).isEqualTo("Server.InternalError");
    // The node's own words say why, as EC2's messages name a cause.
    assertThat(after.stateReason().message())
        .isEqualTo("Server.InternalError: Internal error on launch (LibvirtError: simulated)");
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    // Whatever the failed attempt took on the node (address, files, a defined domain) is given back.
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).singleElement()
        .satisfies(s -> assertThat(s.command().payload().path("instanceId").asText()).isEqualTo(i.instanceId()));
  }

  @Test
  void clientTokenReplaysTheReservationAndRefusesOtherParameters() {
    Reservation first = f.instances.run(ALICE, launch(1, 1, "tok-1"));
    Reservation again = f.instances.run(ALICE, launch(1, 1, "tok-1"));
    assertThat(again.reservationId()).isEqualTo(first.reservationId());
    assertThat(again.instances()).extracting(Instance::instanceId).containsExactly(first.instances().get(0).instanceId());
    assertCode(() -> f.instances.run(ALICE, launch(1, 2, "tok-1")), "IdempotentParameterMismatch");
    assertThat(f.instances.run(BOB, launch(1, 1, "tok-1")).reservationId()).as("tokens are per account").isNotEqualTo(first.reservationId());
  }

  @Test
  void validationErrorsCarryEc2Codes() {
    assertCode(() -> f.instances.run(ALICE, new LaunchRequest("ami-0000000000000000f", "t3.micro", 1, 1, null, List.of(), List.of(), null, null, null, Map.of())), "InvalidAMIID.NotFound");
    assertCode(() -> f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "x9.huge", 1, 1, null, List.of(), List.of(), null, null, null, Map.of())), "InvalidParameterValue");
    assertCode(() -> f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, "nope", List.of(), List.of(), null, null, null, Map.of())), "InvalidKeyPair.NotFound");
    assertCode(() -> f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, null, List.of("sg-0000000000000000f"), List.of(), null, null, null, Map.of())), "InvalidGroup.NotFound");
    assertCode(() -> f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, null, List.of(), List.of(), "mars-1a", null, null, Map.of())), "InvalidParameterValue");
    assertCode(() -> f.instances.describe(ALICE, List.of("i-123"), List.of(), null, null), "InvalidInstanceID.Malformed");
    assertCode(() -> f.instances.describe(ALICE, List.of("i-0123456789abcdef0"), List.of(), null, null), "InvalidInstanceID.NotFound");
  }

  @Test
  void lifecycleFollowsTheTableAndAnswersLikeEc2() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    List<String> id = List.of(i.instanceId());
    assertThat(f.instances.start(ALICE, id)).containsExactly(new StateChange(i.instanceId(), InstanceState.RUNNING, InstanceState.RUNNING));
    assertThat(f.instances.stop(ALICE, id, false)).containsExactly(new StateChange(i.instanceId(), InstanceState.RUNNING, InstanceState.STOPPING));
    assertThat(f.instances.stop(ALICE, id, true)).containsExactly(new StateChange(i.instanceId(), InstanceState.STOPPED, InstanceState.STOPPED));
    assertCode(() -> f.instances.reboot(ALICE, id), "IncorrectInstanceState");
    assertThat(f.instances.start(ALICE, id)).containsExactly(new StateChange(i.instanceId(), InstanceState.STOPPED, InstanceState.PENDING));
    f.instances.reboot(ALICE, id);
    assertThat(f.commands.sent(CommandTypes.REBOOT_INSTANCE)).hasSize(1);
    assertThat(f.instances.terminate(ALICE, id)).containsExactly(new StateChange(i.instanceId(), InstanceState.RUNNING, InstanceState.SHUTTING_DOWN));
    assertThat(f.instances.terminate(ALICE, id)).containsExactly(new StateChange(i.instanceId(), InstanceState.TERMINATED, InstanceState.TERMINATED));
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    assertCode(() -> f.instances.start(ALICE, id), "IncorrectInstanceState");
    assertCode(() -> f.instances.stop(ALICE, id, false), "IncorrectInstanceState");
    now.set(now.get().plus(Duration.ofMinutes(59)));
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), null, null).instances()).hasSize(1);
    now.set(now.get().plus(Duration.ofMinutes(1)));
    assertThat(f.instances.describe(ALICE, List.of(), List.of(), null, null).instances()).isEmpty();
    assertThat(f.instances.purgeExpired()).isEqualTo(1);
  }

  @Test
  void anotherAccountsInstancesAreNotFound() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    List<String> id = List.of(i.instanceId());
    assertCode(() -> f.instances.describe(BOB, id, List.of(), null, null), "InvalidInstanceID.NotFound");
    assertCode(() -> f.instances.stop(BOB, id, false), "InvalidInstanceID.NotFound");
    assertCode(() -> f.instances.terminate(BOB, id), "InvalidInstanceID.NotFound");
    assertThat(f.instances.describe(BOB, List.of(), List.of(), null, null).instances()).isEmpty();
    assertThat(f.instances.exists(ALICE, i.instanceId())).isTrue();
    assertThat(f.instances.exists(BOB, i.instanceId())).isFalse();
  }

  @Test
  void filtersAndPagination() {
    f.addNode("node-2", 64, 65536, 1000);
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < 12; n++) {
      now.set(now.get().plusSeconds(1));
      ids.add(f.instances.run(ALICE, launch(1, 1, null)).instances().get(0).instanceId());
    }
    f.instances.stop(ALICE, ids.subList(0, 3), false);
    f.commands.answer(c -> null); // never acked: the next stop stays stopping
    f.instances.stop(ALICE, ids.subList(3, 4), false);
    assertThat(f.instances.describe(ALICE, List.of(), List.of(new Filter("instance-state-name", List.of("stopped"))), null, null).instances()).hasSize(3);
    assertThat(f.instances.describe(ALICE, List.of(), List.of(new Filter("instance-state-code", List.of("64"))), null, null).instances()).hasSize(1);
    assertThat(f.instances.describe(ALICE, List.of(), List.of(new Filter("tag:Name", List.of("w*"))), null, null).instances()).hasSize(12);
    assertThat(f.instances.describe(ALICE, List.of(), List.of(new Filter("tag-key", List.of("Other"))), null, null).instances()).isEmpty();
    assertThat(f.instances.describe(ALICE, List.of(), List.of(new Filter("instance-id", List.of(ids.get(5), ids.get(6))),
        new Filter("instance-type", List.of("t3.micro")), new Filter("key-name", List.of("k1")), new Filter("availability-zone", List.of("canopy-1a"))), null, null)
        .instances()).extracting(Instance::instanceId).containsExactly(ids.get(5), ids.get(6));
    assertCode(() -> f.instances.describe(ALICE, List.of(), List.of(new Filter("colour", List.of("x"))), null, null), "InvalidParameterValue");
    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      InstancePage page = f.instances.describe(ALICE, List.of(), List.of(), 5, token);
      page.instances().forEach(i -> paged.add(i.instanceId()));
      token = page.nextToken();
      pages++;
    } while (token != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(paged).isEqualTo(ids);
    assertCode(() -> f.instances.describe(ALICE, List.of(), List.of(), 5, "garbage!"), "InvalidParameterValue");
    assertCode(() -> f.instances.describe(ALICE, ids.subList(0, 1), List.of(), 5, null), "InvalidParameterCombination");
  }

  @Test
  void unavailableNodeImpairsItsInstancesAndHeartbeatsReconcile() {
    f.commands.answer(c -> null); // acks lost
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    f.instances.nodeAvailability("node-1", false);
    Instance impaired = f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0);
    assertThat(impaired.impaired()).isTrue();
    assertThat(impaired.state()).isEqualTo(InstanceState.PENDING);
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "running")));
    Instance back = f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0);
    assertThat(back.impaired()).isFalse();
    assertThat(back.state()).isEqualTo(InstanceState.RUNNING);
    f.instances.terminate(ALICE, List.of(i.instanceId()));
    f.instances.reconcile("node-1", List.of());
    assertThat(f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0).state()).isEqualTo(InstanceState.TERMINATED);
    assertThat(f.ledger.used("node-1")).isEqualTo(Capacity.ZERO);
    int terminates = f.commands.sent(CommandTypes.TERMINATE_INSTANCE).size();
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "running")));
    assertThat(f.commands.sent(CommandTypes.TERMINATE_INSTANCE)).as("a domain outliving its instance is destroyed").hasSize(terminates + 1);
    assertThat(f.ledger.used("node-1")).as("and nothing is released twice").isEqualTo(Capacity.ZERO);
  }

  @Test
  void driftIsReDrivenAtMostOncePerInterval() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    now.set(now.get().plusSeconds(5));
    int runs = f.commands.sent(CommandTypes.RUN_INSTANCE).size();
    // Running, but the node has no domain (undefined behind the agent's back): run it again.
    f.instances.reconcile("node-1", List.of());
    f.instances.reconcile("node-1", List.of());
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(runs + 1);
    InstanceSpec again = JSON.convertValue(f.commands.sent(CommandTypes.RUN_INSTANCE).get(runs).command().payload(), InstanceSpec.class);
    assertThat(again.instanceId()).isEqualTo(i.instanceId());
    assertThat(again.macAddress()).isEqualTo(i.macAddress());
    now.set(now.get().plus(Reconciler.REDRIVE_INTERVAL));
    f.instances.reconcile("node-1", List.of());
    assertThat(f.commands.sent(CommandTypes.RUN_INSTANCE)).hasSize(runs + 2);

    // Stopped, but running on the node (started behind the controller's back): stop it again.
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    now.set(now.get().plusSeconds(5));
    int stops = f.commands.sent(CommandTypes.STOP_INSTANCE).size();
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "running")));
    assertThat(f.commands.sent(CommandTypes.STOP_INSTANCE)).hasSize(stops + 1);
  }

  @Test
  void startSendsTheCurrentSpecSoATypeChangedWhileStoppedReachesTheNode() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    f.instances.modifyAttribute(ALICE, i.instanceId(), new AttributeChange.InstanceType("t3.small"));
    f.instances.start(ALICE, List.of(i.instanceId()));
    List<FakeNodeCommands.Sent> runs = f.commands.sent(CommandTypes.RUN_INSTANCE);
    InstanceSpec spec = JSON.convertValue(runs.get(runs.size() - 1).command().payload(), InstanceSpec.class);
    assertThat(spec.instanceType()).isEqualTo("t3.small");
    assertThat(spec.memoryMib()).isEqualTo(f.types.find("t3.small").orElseThrow().memoryMib());
  }

  @Test
  void runningGuestThatShutsItselfDownIsStopped() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "shutoff")));
    Instance after = f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0);
    assertThat(after.state()).isEqualTo(InstanceState.STOPPED);
    assertThat(after.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
  }

  @Test
  void aHeartbeatTakenBeforeARestartDoesNotUndoIt() {
    Instance i = f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
    f.instances.stop(ALICE, List.of(i.instanceId()), false);
    // The node reports the domain shut off; the start lands right after that snapshot.
    java.time.Instant snapshot = now.get();
    now.set(snapshot.plusMillis(200));
    f.instances.start(ALICE, List.of(i.instanceId()));
    assertThat(f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0).state())
        .isEqualTo(InstanceState.RUNNING);

    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "shutoff")), snapshot);
    assertThat(f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0).state())
        .as("a stale heartbeat is no evidence of a guest shutdown").isEqualTo(InstanceState.RUNNING);

    now.set(snapshot.plusSeconds(10));
    f.instances.reconcile("node-1", List.of(new DomainReport(i.instanceId(), "shutoff")), now.get());
    assertThat(f.instances.describe(ALICE, List.of(i.instanceId()), List.of(), null, null).instances().get(0).state())
        .as("a heartbeat taken after the start still counts").isEqualTo(InstanceState.STOPPED);
  }
}
