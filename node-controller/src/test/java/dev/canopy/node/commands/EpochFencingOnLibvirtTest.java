package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.command;
import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.NodeOnTestDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.epoch.EpochStore;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fencing: once a newer leader's epoch is held, a command of a deposed leader does nothing at all
 * (libvirt, the data folder, the address and the filter stay as they were) and is refused with
 * StaleEpoch naming the held epoch; the held epoch survives an agent restart.
 */
class EpochFencingOnLibvirtTest extends NodeOnTestDriverTest {

  /** What an operator would compare before and after: libvirt's view, the files, the address, the filter. */
  private record Snapshot(Optional<DomainState> state, Optional<String> uuid, List<String> files, Optional<String> address,
      Optional<String> filter) {}

  private Snapshot snapshot(String id) throws Exception {
    boolean exists = TestDriver.exists(virsh, id);
    List<String> files = List.of();
    if (Files.isDirectory(node.files.dir(id))) {
      try (Stream<Path> s = Files.list(node.files.dir(id))) {
        files = s.map(p -> p.getFileName() + ":" + size(p)).sorted().toList();
      }
    }
    Path hosts = node.hostsFile(id);
    return new Snapshot(exists ? Optional.of(TestDriver.state(virsh, id)) : Optional.empty(),
        exists ? Optional.of(TestDriver.uuid(virsh, id)) : Optional.empty(), files,
        Files.exists(hosts) ? Optional.of(Files.readString(hosts)) : Optional.empty(),
        node.filters.filter("canopy-" + id));
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Ack announce(long epoch) {
    Ack ack = node.dispatch(command(CommandTypes.ANNOUNCE_EPOCH, epoch, Fixtures.JSON.createObjectNode()));
    assertThat(ack.ok()).isTrue();
    return ack;
  }

  private static Command stale(String type, String id, long epoch) {
    return switch (type) {
      case CommandTypes.RUN_INSTANCE -> run(spec(id), epoch);
      case CommandTypes.UPDATE_FIREWALL -> NodeOnTestDriver.firewall(id, new Firewall(List.of(), false), epoch);
      case CommandTypes.STOP_INSTANCE -> forceStop(id, epoch);
      default -> on(type, id, epoch);
    };
  }

  @Test
  void anAnnouncedEpochIsHeldDurablyAndAnsweredWithTheEpoch() {
    Ack ack = announce(9);

    assertThat(ack.heldEpoch()).isEqualTo(9);
    assertThat(ack.result().get("announced").asLong()).isEqualTo(9);
    assertThat(dataDir.resolve(EpochStore.FILE_NAME)).hasContent("9");
    assertThat(node.compute.heldEpoch()).isEqualTo(9);
  }

  @ParameterizedTest
  @ValueSource(strings = {CommandTypes.RUN_INSTANCE, CommandTypes.START_INSTANCE, CommandTypes.STOP_INSTANCE,
      CommandTypes.REBOOT_INSTANCE, CommandTypes.TERMINATE_INSTANCE, CommandTypes.UPDATE_FIREWALL,
      CommandTypes.GET_CONSOLE_OUTPUT, CommandTypes.ANNOUNCE_EPOCH})
  void aDeposedLeadersCommandChangesNothing(String type) throws Exception {
    String id = running();
    if (type.equals(CommandTypes.START_INSTANCE) || type.equals(CommandTypes.RUN_INSTANCE)) {
      node.dispatch(forceStop(id, 1)); // so that obeying would change something
    }
    announce(9);
    Snapshot before = snapshot(id);

    Ack ack = node.dispatch(stale(type, id, 8));

    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("StaleEpoch");
    assertThat(ack.message()).isEqualTo("epoch 8 is older than the newest seen, 9");
    assertThat(ack.heldEpoch()).as("tells the sender what to mint above").isEqualTo(9);
    assertThat(ack.result()).isNull();
    assertThat(snapshot(id)).isEqualTo(before);
    assertThat(node.compute.heldEpoch()).isEqualTo(9);
  }

  @Test
  void aStaleRunOfANewInstanceDefinesNothingAndTakesNoAddress() throws Exception {
    announce(4);
    String id = TestDriver.instanceId();

    Ack ack = node.dispatch(run(spec(id), 3));

    assertThat(ack.error()).isEqualTo("StaleEpoch");
    assertThat(TestDriver.exists(virsh, id)).isFalse();
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.files.dir(id)).doesNotExist();
  }

  @Test
  void theCurrentAndNewerEpochsAreObeyedAndEveryAckCarriesTheNewestHeld() throws Exception {
    String id = running();
    announce(5);

    Ack same = node.dispatch(forceStop(id, 5));
    Ack newer = node.dispatch(on(CommandTypes.START_INSTANCE, id, 6));
    Ack refused = node.dispatch(on(CommandTypes.STOP_INSTANCE, id, 5));

    assertThat(same.ok()).isTrue();
    assertThat(same.heldEpoch()).isEqualTo(5);
    assertThat(newer.ok()).isTrue();
    assertThat(newer.heldEpoch()).isEqualTo(6);
    assertThat(refused.error()).as("5 is deposed once 6 was seen").isEqualTo("StaleEpoch");
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aRestartedAgentStillRefusesTheDeposedLeader() throws Exception {
    String id = running();
    announce(12);

    node = node.restart();
    Ack stale = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 11));
    Ack current = node.dispatch(on(CommandTypes.REBOOT_INSTANCE, id, 12));

    assertThat(stale.error()).isEqualTo("StaleEpoch");
    assertThat(stale.heldEpoch()).isEqualTo(12);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    assertThat(node.files.rootDisk(id)).exists();
    assertThat(current.ok()).isTrue();
  }

  @Test
  void aRefusalIsRememberedByCommandIdLikeAnyAnswer() {
    String id = running();
    announce(3);
    Command stale = forceStop(id, 2);
    Ack first = node.dispatch(stale);

    Ack repeated = node.dispatch(stale);

    assertThat(repeated).isEqualTo(first);
    assertThat(repeated.error()).isEqualTo("StaleEpoch");
  }
}
