package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.commands.NodeCapacity;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.InstanceSpec;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * An enrolled agent's session with a controller over mutual TLS, its commands run on libvirt's
 * test driver: what a controller reads in heartbeats and acks.
 */
class AgentSessionOnLibvirtTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE_ID = "nd-00c0ffee";

  @TempDir Path dataDir;
  private Vertx vertx;
  private TestPki ca;
  private FakeController controller;
  private NodeCompute compute;
  private AgentClient agent;
  private Connect virsh;
  private String instanceId;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = TestPki.newCa("canopy test CA");
    controller = FakeController.start(vertx, ca);
    KeyPair key = Enroller.newKeyPair();
    new AgentCredentials(NODE_ID, key.getPrivate(), ca.issue(key.getPublic(), PeerRole.NODE, NODE_ID), ca.certificate,
        List.of(controller.url())).save(dataDir);
    compute = NodeCompute.open(NodeSettings.defaults(NODE_ID, dataDir.resolve("compute")),
        new HypervisorSettings(TestDriver.URI, Duration.ofSeconds(10), 2, 16), SystemTime.INSTANCE);
    virsh = TestDriver.observer();
    instanceId = TestDriver.instanceId();
    InstanceSpec spec = new InstanceSpec(instanceId, "111122223333", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0", null,
        null, "52:54:00:0c:0f:fe", null, null);
    assertThat(compute.dispatcher().dispatch(new dev.canopy.node.protocol.Command("setup", 1, CommandTypes.RUN_INSTANCE,
        JSON.valueToTree(spec))).ok()).isTrue();

    AgentSettings settings = new AgentSettings(dataDir, List.of(controller.url()), Optional.empty(), "host-1", "zone-a",
        Duration.ofMillis(200));
    agent = new AgentClient(vertx, settings, this::capacity, () -> new HostLoad(0.25, 512), compute.inventory()::domains,
        compute.dispatcher()::dispatch, Clock.systemUTC(), new Random(3));
    assertThat(agent.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(NODE_ID);
  }

  private HostCapacity capacity() {
    NodeCapacity c = compute.inventory().capacity();
    return new HostCapacity(c.vcpus(), c.memoryMib(), c.diskGib());
  }

  @AfterEach
  void stop() throws Exception {
    agent.close().await();
    controller.close();
    compute.dispatcher().dispatch(new dev.canopy.node.protocol.Command("teardown", Long.MAX_VALUE,
        CommandTypes.TERMINATE_INSTANCE, JSON.createObjectNode().put("instanceId", instanceId)));
    compute.close();
    virsh.close();
    vertx.close().await();
  }

  private String command(String id, long epoch, String type, boolean force) {
    ObjectNode payload = JSON.createObjectNode().put("instanceId", instanceId);
    if (force) {
      payload.put("force", true);
    }
    ObjectNode message = JSON.createObjectNode().put("v", 1).put("type", "command");
    message.putObject("command").put("id", id).put("epoch", epoch).put("type", type).set("payload", payload);
    return message.toString();
  }

  @Test
  void theHeartbeatCarriesCapacityLoadAndWhatLibvirtRuns() throws Exception {
    JsonNode heartbeat = controller.next("heartbeat");

    assertThat(heartbeat.path("v").asInt()).isEqualTo(1);
    assertThat(heartbeat.path("capacity").path("vcpus").asInt()).as("the test driver's 16 CPUs").isEqualTo(16);
    assertThat(heartbeat.path("capacity").path("memoryMib").asLong()).isEqualTo(3072);
    assertThat(heartbeat.path("capacity").path("diskGib").asLong()).isPositive();
    assertThat(heartbeat.path("load").path("loadAverage").asDouble()).isEqualTo(0.25);
    assertThat(heartbeat.path("load").path("memoryUsedMib").asLong()).isEqualTo(512);
    assertThat(heartbeat.path("domains")).hasSize(1);
    assertThat(heartbeat.path("domains").get(0).path("instanceId").asText()).isEqualTo(instanceId);
    assertThat(heartbeat.path("domains").get(0).path("state").asText()).isEqualTo("running");
    assertThat(controller.sessionPeer).as("the session is the node's own certificate")
        .isEqualTo(new PeerIdentity(PeerRole.NODE, NODE_ID));
  }

  @Test
  void aCommandIsRunOnLibvirtAndAckedOnTheSessionAndTheNextHeartbeatShowsIt() throws Exception {
    controller.next("heartbeat");

    controller.send(command("c-stop", 3, CommandTypes.STOP_INSTANCE, true));
    JsonNode ack = controller.next("ack").path("ack");

    assertThat(ack.path("commandId").asText()).isEqualTo("c-stop");
    assertThat(ack.path("ok").asBoolean()).isTrue();
    assertThat(ack.path("heldEpoch").asLong()).isEqualTo(3);
    assertThat(ack.path("result").path("state").asText()).isEqualTo("shutoff");
    assertThat(TestDriver.state(virsh, instanceId)).isEqualTo(DomainState.SHUTOFF);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        controller.next("heartbeat").path("domains").get(0).path("state").asText().equals("shutoff"));
  }

  @Test
  void aDeposedControllersCommandIsRefusedOnTheSessionAndChangesNothing() throws Exception {
    controller.next("heartbeat"); // the session is open
    controller.send(command("c-new", 5, CommandTypes.REBOOT_INSTANCE, false));
    assertThat(controller.next("ack").path("ack").path("ok").asBoolean()).isTrue();

    controller.send(command("c-old", 4, CommandTypes.STOP_INSTANCE, true));
    JsonNode ack = controller.next("ack").path("ack");

    assertThat(ack.path("commandId").asText()).isEqualTo("c-old");
    assertThat(ack.path("ok").asBoolean()).isFalse();
    assertThat(ack.path("error").asText()).isEqualTo("StaleEpoch");
    assertThat(ack.path("heldEpoch").asLong()).isEqualTo(5);
    assertThat(TestDriver.state(virsh, instanceId)).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void messagesOfAnotherVersionOrUnreadableOnesAreIgnoredAndTheSessionGoesOn() throws Exception {
    controller.next("heartbeat"); // the session is open
    String v2 = command("c-v2", 1, CommandTypes.STOP_INSTANCE, true).replace("\"v\":1", "\"v\":2");
    controller.send(v2);
    controller.send("{not json");
    controller.send("{\"v\":1,\"type\":\"command\",\"command\":{\"epoch\":1,\"type\":\"stopInstance\"}}");
    controller.send("{\"v\":1,\"type\":\"somethingNew\"}");
    controller.send(command("c-after", 1, CommandTypes.REBOOT_INSTANCE, false));

    JsonNode ack = controller.next("ack").path("ack");

    assertThat(ack.path("commandId").asText()).as("the first ack is the valid command's").isEqualTo("c-after");
    assertThat(TestDriver.state(virsh, instanceId)).as("no stop was run").isEqualTo(DomainState.RUNNING);
    assertThat(controller.next("heartbeat").path("domains").get(0).path("state").asText()).isEqualTo("running");
  }

  @Test
  void aControllerTheCloudAnnouncesGetsASessionAndIsRememberedForTheNextStart() throws Exception {
    controller.next("heartbeat");
    try (FakeController second = FakeController.start(vertx, ca)) {
      controller.send("{\"v\":1,\"type\":\"controllers\",\"controllers\":[\"" + controller.url() + "\",\"" + second.url()
          + "\",\"http://plain.example:8775\",\"not a url\"]}");

      JsonNode heartbeat = second.next("heartbeat");

      assertThat(heartbeat.path("domains").get(0).path("instanceId").asText()).isEqualTo(instanceId);
      assertThat(agent.controllers()).containsExactly(controller.url(), second.url());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          AgentCredentials.load(dataDir).orElseThrow().controllers().equals(List.of(controller.url(), second.url())));
    }
  }
}
