package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import dev.canopy.cloud.lease.net.LeaseCodec.Accepted;
import dev.canopy.cloud.lease.net.LeaseCodec.Rejected;
import dev.canopy.cloud.lease.net.LeaseCodec.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseCodecTest {

  private static final long HASH = 0x1234_5678_9abc_def0L;
  private final LeaseCodec codec = new LeaseCodec(HASH);

  /** Every message type, with values at the edges of their ranges. */
  static List<LeaseMessage> everyMessage() {
    return List.of(
        new PrepareRequest(1, HASH, Long.MAX_VALUE),
        new PrepareRejected(2, HASH, 5L << 24, Long.MAX_VALUE - 1),
        new PreparePreviouslyAccepted(3, HASH, 7, 6, 255, -1),
        new PrepareCurrentlyOpen(0, HASH, 0),
        new ProposeRequest(1, HASH, 9, 1, 10_000),
        new ProposeAccepted(2, HASH, 9),
        new ProposeRejected(3, HASH, 9, 11),
        new LearnChosen(1, HASH, 1, 4_999_999_999L),
        new Release(1, HASH, 9, 0, 1, LeaseMessage.NO_NODE));
  }

  @Test
  void everyMessageTypeSurvivesARoundTrip() {
    List<LeaseMessage> messages = everyMessage();
    assertThat(messages.stream().map(m -> m.getClass()).distinct())
        .as("one of each permitted type").hasSize(LeaseMessage.class.getPermittedSubclasses().length);
    for (LeaseMessage message : messages) {
      assertThat(codec.decode(codec.encode(message))).isEqualTo(new Accepted(message));
    }
  }

  @Test
  void theWireFormIsTheTypeThenTheRecordFields() {
    String json = new String(codec.encode(new ProposeRequest(2, HASH, 77, 2, 5_000)), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"type\":\"ProposeRequest\",\"senderId\":2,\"configHash\":" + HASH
        + ",\"ballot\":77,\"owner\":2,\"durationMs\":5000}");
  }

  @Test
  void anotherConfigurationHashIsRejectedAsAMismatch() {
    byte[] foreign = new LeaseCodec(HASH + 1).encode(new PrepareRequest(2, HASH + 1, 5));
    assertThat(reason(foreign)).isEqualTo(Rejection.CONFIG_MISMATCH);
    // Reported as a mismatch even when the rest is something this build cannot read.
    assertThat(reason("{\"type\":\"Hello\",\"configHash\":1}")).isEqualTo(Rejection.CONFIG_MISMATCH);
  }

  @Test
  void strictDecodingRejectsEverythingElse() {
    String head = "{\"senderId\":2,\"configHash\":" + HASH;
    assertThat(reason(head + ",\"type\":\"Hello\",\"ballot\":1}")).isEqualTo(Rejection.UNKNOWN_TYPE);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\"}")).isEqualTo(Rejection.MISSING_FIELD);
    assertThat(reason("{\"senderId\":2,\"type\":\"PrepareRequest\",\"ballot\":1}")).isEqualTo(Rejection.MISSING_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":1,\"extra\":0}")).isEqualTo(Rejection.UNKNOWN_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":1.5}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":\"1\"}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":null}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":99999999999999999999}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":\"LearnChosen\",\"owner\":4294967296,\"remainingNanos\":1}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":7,\"ballot\":1}")).isEqualTo(Rejection.BAD_FIELD);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":1,\"ballot\":2}")).isEqualTo(Rejection.NOT_JSON);
    assertThat(reason(head + ",\"type\":\"PrepareRequest\",\"ballot\":1} {}")).isEqualTo(Rejection.NOT_JSON);
    assertThat(reason("[1,2]")).isEqualTo(Rejection.NOT_JSON);
    assertThat(reason("not json")).isEqualTo(Rejection.NOT_JSON);
    assertThat(reason("")).isEqualTo(Rejection.NOT_JSON);
  }

  private Rejection reason(String json) {
    return reason(json.getBytes(StandardCharsets.UTF_8));
  }

  private Rejection reason(byte[] bytes) {
    LeaseCodec.Decoded decoded = codec.decode(bytes);
    assertThat(decoded).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) decoded;
    assertThat(rejected.detail()).isNotBlank();
    return rejected.reason();
  }
}
