package dev.canopy.node.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import org.junit.jupiter.api.Test;

class AcksTest {

  private static final Command RUN = new Command("c-1", 1, "runInstance", null);

  @Test
  void aFailureMessageNeverCarriesALinksSignatureAndIsBounded() {
    Ack ack = Acks.failed(RUN, Acks.DISK_ERROR, "cannot fetch http://127.0.0.1:8779/b/k?X-Amz-Credential=AKIA1&X-Amz-Signature=abc123 : HTTP 403");
    assertThat(ack.message()).isEqualTo("cannot fetch http://127.0.0.1:8779/b/k?… : HTTP 403").doesNotContain("abc123");
    assertThat(Acks.failed(RUN, Acks.LIBVIRT_ERROR, "x".repeat(5000)).message()).hasSize(Acks.FAILURE_MESSAGE_CHARS_MAX + 1);
  }
}
