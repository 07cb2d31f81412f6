package dev.canopy.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every agent-protocol message (docs/agent-protocol.md) through the protocol's one mapper, built as
 * the sender builds it and read as the receiver reads it; and the versioning rule that a field a
 * receiver does not know is ignored, so adding one needs no new {@code v}.
 */
class AgentJsonTest {

  private static final ObjectMapper JSON = AgentJson.MAPPER;

  private static final HostCapacity CAPACITY = new HostCapacity(16, 65_536, 900);
  private static final HostLoad LOAD = new HostLoad(0.75, 2_048);
  private static final List<DomainReport> DOMAINS = List.of(new DomainReport("i-0000000000000000a", "running"),
      new DomainReport("i-0000000000000000b", "shutoff"));
  private static final Firewall FIREWALL = new Firewall(
      List.of(new FirewallRule("ingress", "tcp", 22, 22, "10.0.0.0/8"), new FirewallRule("ingress", "icmp", -1, -1, "0.0.0.0/0")), true);
  private static final InstanceSpec SPEC = new InstanceSpec("i-0000000000000000a", "111122223333", "t3.micro", 2, 1_024, 8,
      "ami-00000000000000001", "I2Nsb3VkLWNvbmZpZw==", "ssh-ed25519 AAAA test", "52:54:00:00:0a:01",
      new ImageFiles(new ImageObject("https://s3.local/img/disk?X-Amz-Signature=ab", "ab".repeat(32), 4_096), null, null), FIREWALL);
  private static final Command COMMAND = new Command("cmd-7", 3, CommandTypes.RUN_INSTANCE, JSON.valueToTree(SPEC));
  private static final Ack ACK = new Ack("cmd-7", true, null, null, 3,
      JsonNodeFactory.instance.objectNode().put("instanceId", "i-0000000000000000a").put("state", "running").put("privateIp", "10.211.0.5"));

  @Test
  void heartbeat() throws Exception {
    ObjectNode sent = AgentJson.envelope(AgentMessages.HEARTBEAT);
    sent.set("capacity", JSON.valueToTree(CAPACITY));
    sent.set("load", JSON.valueToTree(LOAD));
    sent.set("domains", JSON.valueToTree(DOMAINS));

    JsonNode received = overTheWire(sent, AgentMessages.HEARTBEAT);

    assertThat(JSON.treeToValue(received.get("capacity"), HostCapacity.class)).isEqualTo(CAPACITY);
    assertThat(JSON.treeToValue(received.get("load"), HostLoad.class)).isEqualTo(LOAD);
    assertThat(JSON.readerFor(new TypeReference<List<DomainReport>>() {}).<List<DomainReport>>readValue(received.get("domains")))
        .isEqualTo(DOMAINS);
  }

  @Test
  void commandWithEachPayloadKind() throws Exception {
    JsonNode received = overTheWire(AgentJson.envelope(AgentMessages.COMMAND).set("command", JSON.valueToTree(COMMAND)),
        AgentMessages.COMMAND);

    Command command = JSON.treeToValue(received.get("command"), Command.class);
    assertSameOnTheWire(command, COMMAND);
    assertThat(JSON.treeToValue(command.payload(), InstanceSpec.class)).isEqualTo(SPEC);
    Command firewall = new Command("cmd-8", 3, CommandTypes.UPDATE_FIREWALL,
        JsonNodeFactory.instance.objectNode().put("instanceId", "i-0000000000000000a").set("firewall", JSON.valueToTree(FIREWALL)));
    assertThat(JSON.treeToValue(roundTrip(firewall, Command.class).payload().get("firewall"), Firewall.class)).isEqualTo(FIREWALL);
  }

  @Test
  void ack() throws Exception {
    JsonNode received = overTheWire(AgentJson.envelope(AgentMessages.ACK).set("ack", JSON.valueToTree(ACK)), AgentMessages.ACK);

    assertSameOnTheWire(JSON.treeToValue(received.get("ack"), Ack.class), ACK);
    // No result: null again on the other side, not a NullNode that an "== null" check would miss.
    Ack refused = new Ack("cmd-9", false, "StaleEpoch", "epoch 2 is older than 3", 3, null);
    assertThat(roundTrip(refused, Ack.class)).isEqualTo(refused);
    Command noPayload = new Command("cmd-10", 3, CommandTypes.ANNOUNCE_EPOCH, null);
    assertThat(roundTrip(noPayload, Command.class).payload()).isNull();
  }

  @Test
  void sampleBatchAndItsAck() throws Exception {
    var samples = JsonNodeFactory.instance.arrayNode()
        .add(JsonNodeFactory.instance.objectNode().put("instanceId", "i-0000000000000000a").put("timestampMs", 1_767_225_600_000L)
            .put("intervalMs", 10_000).put("cpuTimeNanos", 1_200_000_000L).put("memoryKib", 524_288))
        .add(JsonNodeFactory.instance.objectNode().put("instanceId", "i-0000000000000000a").put("mac", "52:54:00:00:0a:01")
            .put("device", "vnet0").put("timestampMs", 1_767_225_600_000L).put("intervalMs", 10_000)
            .put("rxBytes", Long.MAX_VALUE).put("rxPackets", 9).put("txBytes", 0).put("txPackets", 0));

    JsonNode batch = overTheWire(AgentJson.envelope(AgentMessages.SAMPLE_BATCH).put("batchId", "42-0123456789abcdef").set("samples", samples),
        AgentMessages.SAMPLE_BATCH);
    JsonNode acked = overTheWire(AgentJson.envelope(AgentMessages.SAMPLE_BATCH_ACK).put("batchId", "42-0123456789abcdef"),
        AgentMessages.SAMPLE_BATCH_ACK);

    assertThat(batch.get("batchId").asText()).isEqualTo("42-0123456789abcdef");
    assertThat(batch.get("samples").toString()).as("64-bit counters survive exactly").isEqualTo(samples.toString());
    assertThat(acked.get("batchId").asText()).isEqualTo("42-0123456789abcdef");
  }

  @Test
  void controllers() throws Exception {
    List<String> urls = List.of("https://127.0.1.1:8775", "https://[::1]:8775");
    JsonNode received = overTheWire(AgentJson.envelope(AgentMessages.CONTROLLERS).set("controllers", JSON.valueToTree(urls)),
        AgentMessages.CONTROLLERS);

    assertThat(JSON.readerFor(new TypeReference<List<String>>() {}).<List<String>>readValue(received.get("controllers"))).isEqualTo(urls);
  }

  @Test
  void enrollmentBodies() throws Exception {
    EnrollRequest request = new EnrollRequest("canopy1.id.secret.sha", "-----BEGIN CERTIFICATE REQUEST-----", "kvm-07", CAPACITY, "canopy-1a");
    EnrollResponse response = new EnrollResponse("nd-0123456789abcdef", "-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----",
        List.of("https://127.0.1.1:8775"));

    assertThat(roundTrip(request, EnrollRequest.class)).isEqualTo(request);
    assertThat(roundTrip(response, EnrollResponse.class)).isEqualTo(response);
  }

  @Test
  void aFieldTheReceiverDoesNotKnowIsIgnoredInEveryRecord() throws Exception {
    assertIgnoresAnUnknownField(CAPACITY, HostCapacity.class);
    assertIgnoresAnUnknownField(LOAD, HostLoad.class);
    assertIgnoresAnUnknownField(DOMAINS.get(0), DomainReport.class);
    assertIgnoresAnUnknownField(COMMAND, Command.class);
    assertIgnoresAnUnknownField(ACK, Ack.class);
    assertIgnoresAnUnknownField(SPEC, InstanceSpec.class);
    assertIgnoresAnUnknownField(FIREWALL, Firewall.class);
    assertIgnoresAnUnknownField(FIREWALL.rules().get(0), FirewallRule.class);
    assertIgnoresAnUnknownField(SPEC.image(), ImageFiles.class);
    assertIgnoresAnUnknownField(SPEC.image().disk(), ImageObject.class);
    assertIgnoresAnUnknownField(new EnrollResponse("nd-1", "c", "ca", List.of()), EnrollResponse.class);
    // Nested too: a newer agent's capacity with a field this controller does not know.
    ObjectNode enroll = JSON.valueToTree(new EnrollRequest("t", "csr", "h", CAPACITY, "z"));
    ((ObjectNode) enroll.get("capacity")).put("gpus", 2);
    assertThat(JSON.treeToValue(enroll, EnrollRequest.class).capacity()).isEqualTo(CAPACITY);
  }

  @Test
  void aKnownFieldOfTheWrongTypeIsRefusedNotGuessed() {
    assertThatThrownBy(() -> JSON.readValue("{\"vcpus\": \"many\", \"memoryMib\": 1, \"diskGib\": 1}", HostCapacity.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  /** Serialised to text as it goes on the WebSocket, read back as a receiver reads it; the envelope checked. */
  private static JsonNode overTheWire(ObjectNode message, String type) throws Exception {
    JsonNode received = JSON.readTree(message.toString());
    assertThat(received.get("v").asInt()).isEqualTo(AgentMessages.VERSION);
    assertThat(received.get("type").asText()).isEqualTo(type);
    return received;
  }

  /**
   * Equal as text: a number read from the wire is the smallest node that holds it (an {@code IntNode}
   * where the sender had a {@code LongNode}), which {@code JsonNode.equals} tells apart.
   */
  private static void assertSameOnTheWire(Object actual, Object expected) throws Exception {
    assertThat(JSON.writeValueAsString(actual)).isEqualTo(JSON.writeValueAsString(expected));
  }

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    return JSON.readValue(JSON.writeValueAsString(value), type);
  }

  private static <T> void assertIgnoresAnUnknownField(T value, Class<T> type) throws Exception {
    ObjectNode newer = JSON.valueToTree(value);
    newer.put("addedInALaterRelease", "x").set("alsoNested", JsonNodeFactory.instance.objectNode().put("y", 1));
    assertThat(JSON.treeToValue(newer, type)).as(type.getSimpleName()).isEqualTo(value);
  }
}
