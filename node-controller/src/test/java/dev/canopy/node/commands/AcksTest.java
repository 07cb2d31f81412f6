package dev.canopy.node.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.hypervisor.HypervisorException.Kind;
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

  /** The controller branches on these strings: each kind of hypervisor failure keeps its word. */
  @Test
  void everyKindOfHypervisorFailureHasItsProtocolErrorAndLibvirtsCodeInTheMessage() {
    java.util.Map<Kind, String> expected = java.util.Map.of(Kind.NO_DOMAIN, "NoSuchDomain", Kind.INVALID_STATE,
        "IncorrectState", Kind.TIMEOUT, "Timeout", Kind.BUSY, "HypervisorBusy", Kind.LIBRARY_MISSING, "LibvirtError",
        Kind.FAILED, "LibvirtError");
    for (Kind kind : Kind.values()) {
      Ack ack = Acks.failed(RUN, new HypervisorException(kind, "start", 55, "VIR_ERR_OPERATION_INVALID", "domain is running", null));
      assertThat(ack.error()).as(kind.name()).isEqualTo(expected.get(kind));
      assertThat(ack.message()).isEqualTo("start: domain is running [VIR_ERR_OPERATION_INVALID 55]");
      assertThat(ack.ok()).isFalse();
      assertThat(ack.commandId()).isEqualTo("c-1");
    }
    Ack timeout = Acks.failed(RUN, HypervisorException.of(Kind.TIMEOUT, "define", "no answer within 30000 ms"));
    assertThat(timeout.message()).as("no libvirt code to add").isEqualTo("define: no answer within 30000 ms");
  }
}
