package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.JSON;
import static dev.canopy.node.commands.Fixtures.command;
import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.ManualTime;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.FakeHypervisor.Op;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandHandlersTest {

  private static final String ID = "i-0123456789abcdef0";

  @TempDir Path dataDir;
  private FakeHypervisor fake;
  private ManualTime time;
  private CommandDispatcher dispatcher;
  private InstanceFiles files;

  @BeforeEach
  void wire() {
    fake = new FakeHypervisor();
    time = new ManualTime();
    files = new InstanceFiles(dataDir);
    NodeSettings settings = NodeSettings.defaults("node-a", dataDir).withStop(Duration.ofSeconds(30), Duration.ofSeconds(1));
    dispatcher = NodeCompute.wire(settings, fake, new SparseDiskProvisioner(), time).dispatcher();
  }

  private String state(Ack ack) {
    return ack.result().get("state").asText();
  }

  @Test
  void runDefinesAndStartsWithASparseDiskAndItsMetadata() throws Exception {
    Ack ack = dispatcher.dispatch(run(spec(ID), 1));
    assertThat(ack.ok()).as(ack.message()).isTrue();
    assertThat(state(ack)).isEqualTo("running");
    assertThat(fake.find(ID).orElseThrow().metadata().nodeId()).isEqualTo("node-a");
    Path disk = files.rootDisk(ID);
    assertThat(Files.size(disk)).isEqualTo(1L << 30);
    assertThat(fake.xmlOf(ID).orElseThrow()).contains(disk.toString(), files.consoleLog(ID).toString());
  }

  @Test
  void aSecondRunLeavesARunningDomainAloneAndRedefinesAShutOffOneFromTheNewSpec() {
    dispatcher.dispatch(run(spec(ID), 1));
    Ack whileRunning = dispatcher.dispatch(run(spec(ID), 1));
    assertThat(state(whileRunning)).isEqualTo("running");
    assertThat(fake.calls(Op.DEFINE)).isEqualTo(1);

    dispatcher.dispatch(forceStop(ID, 1));
    InstanceSpec s = spec(ID);
    InstanceSpec bigger = new InstanceSpec(ID, s.accountId(), "t3.large", 2, 8192, 1, s.imageId(), null, null, s.macAddress(), null, null);
    Ack again = dispatcher.dispatch(run(bigger, 1));
    assertThat(again.ok()).isTrue();
    assertThat(state(again)).isEqualTo("running");
    assertThat(fake.calls(Op.DEFINE)).isEqualTo(2);
    assertThat(fake.xmlOf(ID).orElseThrow()).contains("<memory unit=\"MiB\">8192</memory>", "<vcpu>2</vcpu>");
  }

  @Test
  void anAnnouncedEpochIsHeldAndEveryOlderCommandIsRefusedAfterIt() {
    Ack announced = dispatcher.dispatch(command(CommandTypes.ANNOUNCE_EPOCH, 7, JSON.createObjectNode()));
    assertThat(announced.ok()).isTrue();
    assertThat(announced.heldEpoch()).isEqualTo(7);
    Ack stale = dispatcher.dispatch(run(spec(ID), 6));
    assertThat(stale.ok()).isFalse();
    assertThat(stale.error()).isEqualTo("StaleEpoch");
    assertThat(stale.heldEpoch()).as("the refusal tells the sender what to mint above").isEqualTo(7);
    assertThat(fake.calls(Op.DEFINE)).isZero();
  }

  @Test
  void runRefusesBadSpecs() {
    InstanceSpec s = spec(ID);
    InstanceSpec badMac = new InstanceSpec(ID, s.accountId(), s.instanceType(), 1, 128, 1, s.imageId(), null, null, "01:00:5e:00:00:01", null, null);
    InstanceSpec badId = new InstanceSpec("../../etc", s.accountId(), s.instanceType(), 1, 128, 1, s.imageId(), null, null, s.macAddress(), null, null);
    InstanceSpec noMemory = new InstanceSpec(ID, s.accountId(), s.instanceType(), 1, 0, 1, s.imageId(), null, null, s.macAddress(), null, null);
    for (InstanceSpec bad : new InstanceSpec[] {badMac, badId, noMemory}) {
      Ack ack = dispatcher.dispatch(run(bad, 1));
      assertThat(ack.ok()).isFalse();
      assertThat(ack.error()).isEqualTo("InvalidPayload");
    }
    assertThat(fake.calls(Op.DEFINE)).isZero();
  }

  @Test
  void runRefusesADomainOfTheSameNameThatIsNotOurs() {
    NodeCompute other = NodeCompute.wire(NodeSettings.defaults("node-b", dataDir.resolve("b")), fake,
        new SparseDiskProvisioner(), time);
    assertThat(other.dispatcher().dispatch(run(spec(ID), 1)).ok()).isTrue();
    Ack ack = dispatcher.dispatch(run(spec(ID), 1));
    assertThat(ack.error()).isEqualTo("DomainConflict");
  }

  @Test
  void stopUsesAcpiWhenTheGuestListens() {
    dispatcher.dispatch(run(spec(ID), 1));
    Ack ack = dispatcher.dispatch(on(CommandTypes.STOP_INSTANCE, ID, 1));
    assertThat(ack.ok()).isTrue();
    assertThat(ack.result().get("stoppedBy").asText()).isEqualTo("acpi");
    assertThat(fake.calls(Op.DESTROY)).isZero();
    assertThat(fake.state(ID)).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void stopDestroysAfterTheTimeoutWhenTheGuestIgnoresAcpi() {
    dispatcher.dispatch(run(spec(ID), 1));
    fake.ignoreAcpi(ID);
    Ack ack = dispatcher.dispatch(on(CommandTypes.STOP_INSTANCE, ID, 1));
    assertThat(ack.ok()).isTrue();
    assertThat(ack.result().get("stoppedBy").asText()).isEqualTo("destroy");
    assertThat(state(ack)).isEqualTo("shutoff");
    assertThat(fake.calls(Op.SHUTDOWN)).isEqualTo(1);
    assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(time.sleeps()).hasSizeLessThanOrEqualTo(31);
  }

  @Test
  void forcedStopDestroysAtOnce() {
    dispatcher.dispatch(run(spec(ID), 1));
    Ack ack = dispatcher.dispatch(forceStop(ID, 1));
    assertThat(ack.result().get("stoppedBy").asText()).isEqualTo("destroy");
    assertThat(fake.calls(Op.SHUTDOWN)).isZero();
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void stopOfAStoppedInstanceIsOkAndOfAnUnknownOneIsNoSuchDomain() {
    dispatcher.dispatch(run(spec(ID), 1));
    dispatcher.dispatch(forceStop(ID, 1));
    Ack again = dispatcher.dispatch(on(CommandTypes.STOP_INSTANCE, ID, 1));
    assertThat(again.ok()).isTrue();
    assertThat(again.result().get("stoppedBy").asText()).isEqualTo("none");
    Ack unknown = dispatcher.dispatch(on(CommandTypes.STOP_INSTANCE, "i-0000000000000000f", 1));
    assertThat(unknown.error()).isEqualTo("NoSuchDomain");
  }

  @Test
  void startAndRebootFollowTheDomainsState() {
    dispatcher.dispatch(run(spec(ID), 1));
    assertThat(dispatcher.dispatch(on(CommandTypes.START_INSTANCE, ID, 1)).ok()).isTrue();
    assertThat(dispatcher.dispatch(on(CommandTypes.REBOOT_INSTANCE, ID, 1)).ok()).isTrue();
    dispatcher.dispatch(forceStop(ID, 1));
    Ack reboot = dispatcher.dispatch(on(CommandTypes.REBOOT_INSTANCE, ID, 1));
    assertThat(reboot.error()).isEqualTo("IncorrectState");
    Ack start = dispatcher.dispatch(on(CommandTypes.START_INSTANCE, ID, 1));
    assertThat(state(start)).isEqualTo("running");
    assertThat(fake.calls(Op.START)).isEqualTo(2);
  }

  @Test
  void terminateRemovesDomainAndFilesAndIsIdempotent() {
    dispatcher.dispatch(run(spec(ID), 1));
    Ack ack = dispatcher.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 1));
    assertThat(ack.ok()).isTrue();
    assertThat(state(ack)).isEqualTo("terminated");
    assertThat(fake.find(ID)).isEmpty();
    assertThat(files.dir(ID)).doesNotExist();
    assertThat(dispatcher.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 1)).ok()).isTrue();
    assertThat(dispatcher.dispatch(on(CommandTypes.TERMINATE_INSTANCE, "i-0000000000000000f", 1)).ok()).isTrue();
  }

  @Test
  void anotherNodesDomainIsInvisible() {
    NodeCompute other = NodeCompute.wire(NodeSettings.defaults("node-b", dataDir.resolve("b")), fake,
        new SparseDiskProvisioner(), time);
    other.dispatcher().dispatch(run(spec(ID), 1));
    assertThat(dispatcher.dispatch(on(CommandTypes.STOP_INSTANCE, ID, 1)).error()).isEqualTo("NoSuchDomain");
    assertThat(dispatcher.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 1)).ok()).isTrue();
    assertThat(fake.state(ID)).isEqualTo(DomainState.RUNNING);
    assertThat(other.inventory().domains()).extracting(r -> r.instanceId()).containsExactly(ID);
  }

  /** Sparse disks plus a (pretend) seed, remembering which instances were released. */
  private static final class SeededDisks implements DiskProvisioner {
    final java.util.List<String> released = new java.util.ArrayList<>();

    @Override
    public ProvisionedDisk provision(InstanceSpec spec, InstanceFiles files) throws java.io.IOException {
      if ("***".equals(spec.userDataBase64())) {
        throw new IllegalArgumentException("user data is not base64");
      }
      return new SparseDiskProvisioner().provision(spec, files).withSeedIso(files.dir(spec.instanceId()).resolve("seed.iso"));
    }

    @Override
    public void release(String instanceId) {
      released.add(instanceId);
    }
  }

  @Test
  void theSeedGoesToTheDomainAndTerminateReleasesTheDiskAfterItsFiles() {
    SeededDisks disks = new SeededDisks();
    CommandDispatcher d = NodeCompute.wire(NodeSettings.defaults("node-a", dataDir), fake, disks, time).dispatcher();

    assertThat(d.dispatch(run(spec(ID), 1)).ok()).isTrue();
    assertThat(fake.xmlOf(ID).orElseThrow()).contains(files.dir(ID).resolve("seed.iso").toString(), "dev=\"vdb\"");
    assertThat(d.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 1)).ok()).isTrue();

    assertThat(files.dir(ID)).doesNotExist();
    assertThat(disks.released).containsExactly(ID);
  }

  @Test
  void aValueTheDiskCannotTakeIsAnInvalidPayload() {
    CommandDispatcher d = NodeCompute.wire(NodeSettings.defaults("node-a", dataDir), fake, new SeededDisks(), time)
        .dispatcher();
    InstanceSpec s = spec(ID);
    InstanceSpec badUserData = new InstanceSpec(ID, s.accountId(), s.instanceType(), 1, 128, 1, s.imageId(), "***",
        null, s.macAddress(), null, null);

    Ack ack = d.dispatch(run(badUserData, 1));

    assertThat(ack.error()).isEqualTo("InvalidPayload");
    assertThat(ack.message()).contains("base64");
    assertThat(fake.calls(Op.DEFINE)).isZero();
  }

  @Test
  void payloadsWithoutAnInstanceIdAreInvalid() {
    Ack ack = dispatcher.dispatch(Fixtures.command(CommandTypes.START_INSTANCE, 1, Fixtures.JSON.createObjectNode()));
    assertThat(ack.error()).isEqualTo("InvalidPayload");
    Ack notObject = dispatcher.dispatch(Fixtures.command(CommandTypes.REBOOT_INSTANCE, 1, null));
    assertThat(notObject.error()).isEqualTo("InvalidPayload");
  }
}
