package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.canopy.core.cloud.CloudLimits;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enrolled agent with two controllers over mutual TLS: each command is answered to the
 * controller that sent it, metering goes to one controller at a time, and when that one goes
 * away the next batch goes to the other.
 */
class AgentFailoverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE_ID = "nd-0fa110e7";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private Vertx vertx;
  private FakeController first;
  private FakeController second;
  private AgentClient agent;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki ca = TestPki.newCa("failover test CA");
    first = FakeController.start(vertx, ca);
    second = FakeController.start(vertx, ca);
    toClose.add(first);
    toClose.add(second);
    KeyPair key = Enroller.newKeyPair();
    new AgentCredentials(NODE_ID, key.getPrivate(), ca.issue(key.getPublic(), PeerRole.NODE, NODE_ID), ca.certificate,
        List.of(first.url(), second.url())).save(dataDir);
    AgentSettings settings = new AgentSettings(dataDir, List.of(), Optional.empty(), "host-1", "zone-a", Duration.ofSeconds(30));
    agent = new AgentClient(vertx, settings, () -> new HostCapacity(4, 4096, 40), () -> new HostLoad(0.1, 256), List::of,
        command -> new Ack(command.id(), true, null, null, command.epoch(), null), Clock.systemUTC(), new Random(11));
    assertThat(agent.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(NODE_ID);
    await().atMost(PATIENCE).until(() -> first.hasSession() && second.hasSession() && agent.connectedControllers().size() == 2);
  }

  @AfterEach
  void stop() throws Exception {
    agent.close().await();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    vertx.close().await();
  }

  private static String command(String id) {
    return "{\"v\":1,\"type\":\"command\",\"command\":{\"id\":\"" + id
        + "\",\"epoch\":1,\"type\":\"rebootInstance\",\"payload\":{\"instanceId\":\"i-0123456789abcdef0\"}}}";
  }

  private static String ackOf(JsonNode message) {
    return message.path("ack").path("commandId").asText();
  }

  private FakeController named(String url) {
    return url.equals(first.url()) ? first : second;
  }

  @Test
  void eachCommandIsAckedToTheControllerThatSentItOnly() throws Exception {
    second.send(command("from-second"));
    assertThat(ackOf(second.next("ack"))).isEqualTo("from-second");

    first.send(command("from-first"));

    // Frames on one socket keep their order: had the second's ack gone to the first too, it would come first.
    assertThat(ackOf(first.next("ack"))).as("the first controller's first ack").isEqualTo("from-first");
  }

  @Test
  void meteringGoesToTheLongestOpenSessionAndMovesWhenThatControllerGoes() throws Exception {
    FakeController oldest = named(agent.connectedTo().orElseThrow());
    FakeController other = oldest == first ? second : first;

    Future<Void> unacked = agent.sendSampleBatch("b-1", JSON.createArrayNode());
    assertThat(oldest.next("sampleBatch").path("batchId").asText()).isEqualTo("b-1");

    oldest.close();

    await().atMost(PATIENCE).until(unacked::isComplete);
    assertThat(unacked.failed()).as("the batch was never acked: the metering loop must resend it").isTrue();
    await().atMost(PATIENCE).until(() -> agent.connectedControllers().equals(List.of(other.url())));
    assertThat(agent.connectedTo()).contains(other.url());

    Future<Void> resent = agent.sendSampleBatch("b-1", JSON.createArrayNode());
    assertThat(other.next("sampleBatch").path("batchId").asText()).isEqualTo("b-1");
    other.send("{\"v\":1,\"type\":\"sampleBatchAck\",\"batchId\":\"b-1\"}");
    assertThat(resent.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void withNoControllerLeftABatchFailsAtOnceAndTheAgentSaysItIsNotConnected() throws Exception {
    first.close();
    second.close();

    await().atMost(PATIENCE).until(() -> !agent.connected());
    assertThat(agent.connectedTo()).isEmpty();
    Future<Void> batch = agent.sendSampleBatch("b-9", JSON.createArrayNode());
    assertThat(batch.failed()).isTrue();
    assertThat(batch.cause()).hasMessageContaining("no session");
  }

  @Test
  void theControllersACloudAnnouncesAreBoundedByTheCloudsLimit() throws Exception {
    ArrayNode urls = JSON.createArrayNode();
    for (int port = 1; port <= CloudLimits.CONTROLLERS_MAX + 10; port++) {
      urls.add("https://127.0.0.1:" + port); // nothing listens there: sessions only retry
    }
    first.send(JSON.createObjectNode().put("v", 1).put("type", "controllers").<com.fasterxml.jackson.databind.node.ObjectNode>set(
        "controllers", urls).toString());

    await().atMost(PATIENCE).until(() -> agent.controllers().size() > 2);
    assertThat(agent.controllers()).hasSize(CloudLimits.CONTROLLERS_MAX);
    assertThat(agent.controllers()).startsWith(first.url(), second.url());
    await().atMost(PATIENCE).until(() -> AgentCredentials.load(dataDir).orElseThrow().controllers().size() == CloudLimits.CONTROLLERS_MAX);
  }
}
