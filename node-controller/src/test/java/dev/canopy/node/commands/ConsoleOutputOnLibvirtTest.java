package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.NodeOnTestDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** getConsoleOutput on a node wired as for real guests (libvirt's test driver): what EC2's GetConsoleOutput returns. */
class ConsoleOutputOnLibvirtTest extends NodeOnTestDriverTest {


  @Test
  void theConsoleOutputIsTheNewest64KibOfTheSerialLogInBase64WithItsTime() throws Exception {
    String id = running();
    byte[] log = new byte[70 * 1024];
    for (int i = 0; i < log.length; i++) {
      log[i] = (byte) ('a' + i % 26);
    }
    Path console = node.files.consoleLog(id);
    Files.write(console, log);
    Instant written = Instant.parse("2025-03-04T05:06:07Z");
    Files.setLastModifiedTime(console, FileTime.from(written));

    Ack ack = node.dispatch(on(CommandTypes.GET_CONSOLE_OUTPUT, id, 1));

    assertThat(ack.ok()).isTrue();
    assertThat(ack.result().get("instanceId").asText()).isEqualTo(id);
    byte[] output = Base64.getDecoder().decode(ack.result().get("output").asText());
    assertThat(output).hasSize(64 * 1024).isEqualTo(Arrays.copyOfRange(log, log.length - 64 * 1024, log.length));
    assertThat(ack.result().get("timestamp").asText()).isEqualTo("2025-03-04T05:06:07Z");
  }

  @Test
  void aShortLogComesBackWholeAndAGuestThatPrintedNothingHasEmptyOutput() throws Exception {
    String quiet = running();
    Ack nothing = node.dispatch(on(CommandTypes.GET_CONSOLE_OUTPUT, quiet, 1));
    assertThat(nothing.ok()).isTrue();
    assertThat(nothing.result().get("output").asText()).isEmpty();

    Files.writeString(node.files.consoleLog(quiet), "CANOPY-TINY-BOOTED instance-id=" + quiet + "\n");
    Ack printed = node.dispatch(on(CommandTypes.GET_CONSOLE_OUTPUT, quiet, 1));
    assertThat(new String(Base64.getDecoder().decode(printed.result().get("output").asText()), StandardCharsets.UTF_8))
        .isEqualTo("CANOPY-TINY-BOOTED instance-id=" + quiet + "\n");
  }

  @Test
  void theConsoleOfAStoppedInstanceStillReadsAndOfATerminatedOneIsGone() throws Exception {
    String id = running();
    Files.writeString(node.files.consoleLog(id), "last words\n");
    node.dispatch(forceStop(id, 1));

    Ack stopped = node.dispatch(on(CommandTypes.GET_CONSOLE_OUTPUT, id, 1));
    assertThat(Base64.getDecoder().decode(stopped.result().get("output").asText())).asString().isEqualTo("last words\n");

    node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    Ack terminated = node.dispatch(on(CommandTypes.GET_CONSOLE_OUTPUT, id, 1));
    assertThat(terminated.error()).isEqualTo("NoSuchDomain");
  }
}
