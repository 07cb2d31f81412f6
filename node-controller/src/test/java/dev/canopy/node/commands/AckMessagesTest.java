package dev.canopy.node.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.Command;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Failure messages as they leave the node in an ack and reach the tenant's StateReason: bounded
 * without breaking a character, every link's signature cut wherever the link sits, and always
 * writable as the protocol's JSON.
 */
class AckMessagesTest {

  private static final Command RUN = new Command("c-9", 1, "runInstance", null);

  private static String wire(Ack ack) throws Exception {
    return AgentJson.MAPPER.writeValueAsString(ack);
  }

  @Test
  void aMessageCutAtItsBoundNeverSplitsACharacterAndStillGoesOnTheWire() throws Exception {
    // The bound falls inside the emoji: a naive cut leaves half a surrogate pair.
    String message = "x".repeat(Acks.FAILURE_MESSAGE_CHARS_MAX - 1) + "\uD83D\uDE00 and more";

    Ack ack = Acks.failed(RUN, Acks.LIBVIRT_ERROR, message);

    assertThat(ack.message().codePoints().noneMatch(c -> Character.isSurrogate((char) c))).as("no half character").isTrue();
    assertThat(ack.message()).startsWith("x".repeat(Acks.FAILURE_MESSAGE_CHARS_MAX - 1)).endsWith("…");
    Ack back = AgentJson.MAPPER.readValue(wire(ack).getBytes(StandardCharsets.UTF_8), Ack.class);
    assertThat(back.message()).isEqualTo(ack.message());
  }

  @Test
  void everyLinksSignatureIsCutWhereverTheLinkSits() {
    String message = "fetch 'https://s3.example:8779/b/k?X-Amz-Signature=aaa111' failed; retried "
        + "http://127.0.0.1:8779/b/k?X-Amz-Credential=AKIA1&X-Amz-Signature=bbb222, last try \"https://h/p?sig=ccc333\"";

    String safe = Acks.failed(RUN, Acks.DISK_ERROR, message).message();

    assertThat(safe).doesNotContain("aaa111", "bbb222", "ccc333", "AKIA1");
    // A query runs to the next space or quote, so the comma after the second link goes with it.
    assertThat(safe).contains("'https://s3.example:8779/b/k?…'", "http://127.0.0.1:8779/b/k?… last try", "\"https://h/p?…\"");
  }

  @Test
  void aMessageWithoutLinksOrWithinTheBoundIsLeftAsItIs() {
    String message = "domain is already running (what? yes?)";

    assertThat(Acks.failed(RUN, Acks.INCORRECT_STATE, message).message()).isEqualTo(message);
    assertThat(Acks.failed(RUN, Acks.INCORRECT_STATE, "y".repeat(Acks.FAILURE_MESSAGE_CHARS_MAX)).message())
        .as("exactly at the bound").hasSize(Acks.FAILURE_MESSAGE_CHARS_MAX).doesNotEndWith("…");
  }

  @Test
  void aFailureWithoutAMessageHasNone() throws Exception {
    Ack ack = Acks.failed(RUN, Acks.INTERNAL_ERROR, null);

    assertThat(ack.message()).isNull();
    assertThat(wire(ack)).doesNotContain("\"message\"");
  }
}
