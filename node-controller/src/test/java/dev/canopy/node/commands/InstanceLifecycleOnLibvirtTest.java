package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.NodeOnTestDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * stop, start, reboot and terminate on libvirt's test driver, checked in libvirt, on disk and in
 * the acks. The test driver powers a guest off at once on ACPI shutdown and keeps it running
 * through a reboot; it can pause a guest, which no command does, to show the handlers' refusals.
 */
class InstanceLifecycleOnLibvirtTest extends NodeOnTestDriverTest {

  private void pause(String id) throws Exception {
    Domain d = virsh.domainLookupByName(id);
    d.suspend();
    d.free();
  }

  @Test
  void aStopPowersTheGuestOffAndKeepsEverythingItNeedsToStartAgain() throws Exception {
    String id = running();
    String address = node.compute.dispatcher().dispatch(run(spec(id), 1)).result().get("privateIp").asText();

    Ack ack = node.dispatch(on(CommandTypes.STOP_INSTANCE, id, 1));

    assertThat(ack.ok()).isTrue();
    assertThat(ack.result().get("state").asText()).isEqualTo("shutoff");
    assertThat(ack.result().get("stoppedBy").asText()).as("the guest heard the power button").isEqualTo("acpi");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);
    assertThat(node.files.rootDisk(id)).exists();
    assertThat(node.files.dir(id).resolve("seed.iso")).exists();
    assertThat(node.hostsFile(id)).as("a stopped instance keeps its address").hasContent(spec(id).macAddress() + "," + address);
    assertThat(node.filters.filter("canopy-" + id)).isPresent();
    assertThat(node.compute.inventory().domains()).containsExactly(new DomainReport(id, "shutoff"));

    Ack started = node.dispatch(on(CommandTypes.START_INSTANCE, id, 1));
    assertThat(started.ok()).isTrue();
    assertThat(started.result().get("state").asText()).isEqualTo("running");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aForcedStopPullsThePlugAndAStopOfAStoppedGuestIsDoneAlready() throws Exception {
    String id = running();

    Ack forced = node.dispatch(forceStop(id, 1));
    Ack again = node.dispatch(on(CommandTypes.STOP_INSTANCE, id, 1));

    assertThat(forced.result().get("stoppedBy").asText()).isEqualTo("destroy");
    assertThat(again.ok()).isTrue();
    assertThat(again.result().get("stoppedBy").asText()).isEqualTo("none");
    assertThat(again.result().get("state").asText()).isEqualTo("shutoff");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);
  }

  @Test
  void startAndRebootRefuseAPausedGuestAndLeaveItPaused() throws Exception {
    String id = running();
    pause(id);

    Ack start = node.dispatch(on(CommandTypes.START_INSTANCE, id, 1));
    Ack reboot = node.dispatch(on(CommandTypes.REBOOT_INSTANCE, id, 1));

    assertThat(start.error()).isEqualTo("IncorrectState");
    assertThat(start.message()).isEqualTo(id + " is paused, not shut off");
    assertThat(reboot.error()).isEqualTo("IncorrectState");
    assertThat(reboot.message()).isEqualTo(id + " is paused, not running");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.PAUSED);
    assertThat(node.compute.inventory().domains()).containsExactly(new DomainReport(id, "paused"));
  }

  @Test
  void aStartOfARunningGuestIsDoneAlreadyAndARebootKeepsItRunning() throws Exception {
    String id = running();
    String uuid = TestDriver.uuid(virsh, id);

    Ack start = node.dispatch(on(CommandTypes.START_INSTANCE, id, 1));
    Ack reboot = node.dispatch(on(CommandTypes.REBOOT_INSTANCE, id, 1));

    assertThat(start.ok()).isTrue();
    assertThat(start.result().get("state").asText()).isEqualTo("running");
    assertThat(reboot.ok()).isTrue();
    assertThat(reboot.result().get("state").asText()).isEqualTo("running");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    assertThat(TestDriver.uuid(virsh, id)).isEqualTo(uuid);
  }

  @Test
  void commandsForAnInstanceThisNodeDoesNotHaveAreNoSuchDomain() {
    String unknown = TestDriver.instanceId();
    for (String type : List.of(CommandTypes.START_INSTANCE, CommandTypes.STOP_INSTANCE, CommandTypes.REBOOT_INSTANCE,
        CommandTypes.GET_CONSOLE_OUTPUT)) {
      Ack ack = node.dispatch(on(type, unknown, 1));
      assertThat(ack.error()).as(type).isEqualTo("NoSuchDomain");
      assertThat(ack.message()).as(type).contains(unknown);
    }
  }

  @Test
  void anInstanceIdThatIsNotOneIsAnInvalidPayloadForEveryCommand() {
    for (String type : List.of(CommandTypes.START_INSTANCE, CommandTypes.STOP_INSTANCE, CommandTypes.REBOOT_INSTANCE,
        CommandTypes.TERMINATE_INSTANCE, CommandTypes.GET_CONSOLE_OUTPUT, CommandTypes.UPDATE_FIREWALL)) {
      Ack ack = node.dispatch(on(type, "../../etc", 1));
      assertThat(ack.error()).as(type).isEqualTo("InvalidPayload");
    }
    assertThat(dataDir.resolve("instances")).doesNotExist();
  }

  @Test
  void terminateRemovesTheDomainItsFilesItsAddressAndItsFilter() throws Exception {
    String id = running();
    Files.writeString(node.files.consoleLog(id), "booted\n");

    Ack ack = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));

    assertThat(ack.ok()).isTrue();
    assertThat(ack.result().get("state").asText()).isEqualTo("terminated");
    assertThat(TestDriver.exists(virsh, id)).as("neither running nor defined").isFalse();
    assertThat(node.files.dir(id)).as("disk, seed and console log").doesNotExist();
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.filters.filter("canopy-" + id)).isEmpty();
    assertThat(node.compute.inventory().domains()).isEmpty();
  }

  @Test
  void terminateLeavesTheNodesOtherInstancesAlone() throws Exception {
    String gone = running();
    String kept = running();
    node.dispatch(forceStop(kept, 1));

    node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, gone, 1));

    assertThat(TestDriver.state(virsh, kept)).isEqualTo(DomainState.SHUTOFF);
    assertThat(node.files.rootDisk(kept)).exists();
    assertThat(node.hostsFile(kept)).exists();
    assertThat(node.filters.filter("canopy-" + kept)).isPresent();
    assertThat(node.compute.inventory().domains()).containsExactly(new DomainReport(kept, "shutoff"));
  }

  @Test
  void terminateIsIdempotentBothByCommandIdAndByState() throws Exception {
    String id = running();
    Command terminate = on(CommandTypes.TERMINATE_INSTANCE, id, 1);
    Ack first = node.dispatch(terminate);
    // Run again under a new command (a controller's re-drive): the domain is back.
    assertThat(node.dispatch(run(spec(id), 1)).ok()).isTrue();

    Ack repeated = node.dispatch(terminate);
    assertThat(repeated).isEqualTo(first);
    assertThat(TestDriver.state(virsh, id)).as("a repeated command id does not act again").isEqualTo(DomainState.RUNNING);

    Ack fresh = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    Ack nothingLeft = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    assertThat(fresh.ok()).isTrue();
    assertThat(nothingLeft.ok()).isTrue();
    assertThat(nothingLeft.result().get("state").asText()).isEqualTo("terminated");
    assertThat(TestDriver.exists(virsh, id)).isFalse();
  }

  @Test
  void terminateOfAnotherNodesInstanceLeavesItRunningWithItsFilter() throws Exception {
    String id = TestDriver.instanceId();
    try (NodeOnTestDriver other = NodeOnTestDriver.open("node-b", dataDir.resolve("b"))) {
      other.dispatch(run(spec(id), 1));

      Ack ack = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));

      assertThat(ack.ok()).as("this node has no such instance: terminated already").isTrue();
      assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
      assertThat(other.files.rootDisk(id)).exists();
      assertThat(other.hostsFile(id)).exists();
      other.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    }
  }

  @Test
  void aRestartedAgentFindsItsInstancesAndTheirAddresses() throws Exception {
    String id = running();
    String address = node.dispatch(run(spec(id), 1)).result().get("privateIp").asText();

    node = node.restart();

    assertThat(node.compute.inventory().domains()).containsExactly(new DomainReport(id, "running"));
    Ack again = node.dispatch(run(spec(id), 1));
    assertThat(again.result().get("privateIp").asText()).isEqualTo(address);
    String second = running();
    assertThat(node.dispatch(run(spec(second), 1)).result().get("privateIp").asText())
        .as("no address handed out twice after a restart").isNotEqualTo(address);
  }
}
