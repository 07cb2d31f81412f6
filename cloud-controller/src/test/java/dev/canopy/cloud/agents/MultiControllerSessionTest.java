package dev.canopy.cloud.agents;

import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real agent listing two real controllers (two {@link AgentServer}s sharing one CA): it
 * keeps a session with each, heartbeats to both, answers each controller's commands on that
 * controller's session, keeps working with one while the other is down, and returns to the
 * other when it comes back on the same port.
 *
 * <p>Each controller has its own node table here, so that "both registries see the heartbeats"
 * means something; the second learns of the node as a shared grid would tell it, by an enroll
 * record written after the agent enrolled with the first.
 */
class MultiControllerSessionTest {

  private static final HostCapacity CAPACITY = new HostCapacity(4, 8192, 100);

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final InMemoryTable<TokenRecord> tokenTable = new InMemoryTable<>();
  private final InMemoryTable<SampleBatchRecord> samples = new InMemoryTable<>();
  private final List<Command> dispatched = new CopyOnWriteArrayList<>();
  /** What the first controller tells agents about the cloud's controllers. */
  private final AtomicReference<List<String>> told = new AtomicReference<>(List.of());
  private Vertx vertx;
  private CertificateAuthority ca;
  private EnrollmentTokens tokens;
  private NodeRegistry registry1;
  private NodeRegistry registry2;
  private AgentServer server1;
  private AgentServer server2;
  private int port1;
  private String url1;
  private String url2;
  private AgentClient agent;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(), new SecretBox(MasterKey.generate(random), random),
        "test", Clock.systemUTC(), random);
    tokens = new EnrollmentTokens(tokenTable, Clock.systemUTC(), random, ca.caSha256());
    registry1 = new NodeRegistry(new InMemoryTable<>(), Clock.systemUTC(), Duration.ofMillis(200));
    registry2 = new NodeRegistry(new InMemoryTable<>(), Clock.systemUTC(), Duration.ofMillis(200));
    server1 = server("c1", registry1, told::get);
    port1 = await(server1.listen("127.0.0.1", 0));
    server2 = server("c2", registry2);
    url1 = "https://127.0.0.1:" + port1;
    url2 = "https://127.0.0.1:" + await(server2.listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      await(agent.close());
    }
    await(server1.close());
    await(server2.close());
    await(vertx.close());
  }

  @Test
  void keepsASessionWithEachControllerAndSurvivesOneGoingAway() throws Exception {
    agent = agent(List.of(url1, url2));
    String nodeId = await(agent.start());
    assertThat(agent.controllers()).containsExactly(url1, url2);
    registry2.enroll(nodeId, "host-a", "canopy-1a", CAPACITY);

    // Heartbeats reach both controllers.
    eventually(() -> server1.hasSession(nodeId) && server2.hasSession(nodeId));
    eventually(() -> available(registry1, nodeId) && available(registry2, nodeId));
    assertThat(agent.connected()).isTrue();
    assertThat(agent.connectedControllers()).containsExactly(url1, url2);
    assertThat(agent.connectedTo()).isPresent();

    // Each controller's command is run and acked back to it.
    assertAcked(server1, nodeId, new Command("cmd-1", 1, "startInstance", payload()));
    assertAcked(server2, nodeId, new Command("cmd-2", 2, "startInstance", payload()));
    assertThat(dispatched).extracting(Command::id).containsExactly("cmd-1", "cmd-2");

    // The first controller goes away: the second still gets heartbeats, commands and batches.
    await(server1.close());
    eventually(() -> agent.connectedControllers().equals(List.of(url2)));
    assertThat(agent.connected()).isTrue();
    assertThat(agent.connectedTo()).contains(url2);
    Instant seen = registry2.get(nodeId).orElseThrow().lastHeartbeat();
    eventually(() -> registry2.get(nodeId).orElseThrow().lastHeartbeat().isAfter(seen));
    assertAcked(server2, nodeId, new Command("cmd-3", 3, "startInstance", payload()));
    await(agent.sendSampleBatch("b-1", JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("rx", 1))));
    assertThat(samples.get(nodeId + "/b-1")).isPresent();

    // It comes back on the same port: the agent returns to it on its own.
    server1 = server("c1", registry1);
    await(server1.listen("127.0.0.1", port1));
    eventually(() -> server1.hasSession(nodeId) && agent.connectedControllers().equals(List.of(url1, url2)));
    assertAcked(server1, nodeId, new Command("cmd-4", 4, "startInstance", payload()));
    assertThat(dispatched).extracting(Command::id).containsExactly("cmd-1", "cmd-2", "cmd-3", "cmd-4");
  }

  @Test
  void learnsTheOtherControllersFromTheOneItKnowsAndRemembersThemAcrossARestart() throws Exception {
    // Enrolled when the cloud had one controller; a second one joins later.
    told.set(List.of(url1));
    agent = agent(List.of(url1));
    String nodeId = await(agent.start());
    assertThat(agent.controllers()).containsExactly(url1);
    registry2.enroll(nodeId, "host-a", "canopy-1a", CAPACITY);
    // The first controller tells it on a heartbeat; junk in the list is ignored.
    told.set(List.of(url1, "http://127.0.0.1:1", "not a url", url2));

    eventually(() -> server2.hasSession(nodeId));
    assertThat(agent.controllers()).containsExactly(url1, url2);
    assertAcked(server2, nodeId, new Command("cmd-1", 1, "startInstance", payload()));
    eventually(() -> readNodeFile().contains(url2));

    // A restart with the one controller it was first given comes back to both.
    await(agent.close());
    agent = agent(List.of(url1));
    await(agent.start());
    assertThat(agent.controllers()).containsExactly(url1, url2);
    eventually(() -> agent.connectedControllers().size() == 2);
  }

  @Test
  void aRestartedControllerGetsItsSessionBackAsSoonAsAnotherTellsOfTheRestart() throws Exception {
    agent = agent(List.of(url1, url2));
    String nodeId = await(agent.start());
    registry2.enroll(nodeId, "host-a", "canopy-1a", CAPACITY);
    AtomicLong starts = new AtomicLong(1);
    // The first server never tells agents of a restart: only the second one does.
    await(server2.close());
    server2 = server("c2", registry2, () -> List.of(url1, url2)).withControllerStarts(starts::get);
    await(server2.listen("127.0.0.1", Integer.parseInt(url2.substring(url2.lastIndexOf(':') + 1))));
    eventually(() -> server1.hasSession(nodeId) && server2.hasSession(nodeId));

    // Down long enough for the agent's backoff towards it to reach several seconds.
    await(server1.close());
    Thread.sleep(9_000);
    server1 = server("c1", registry1);
    await(server1.listen("127.0.0.1", port1));
    starts.incrementAndGet();

    // Heartbeats every 100 ms carry the news; the agent retries within a second.
    Awaitility.await().atMost(Duration.ofMillis(2_500)).pollInterval(Duration.ofMillis(20)).until(() -> server1.hasSession(nodeId));
  }

  // ---- helpers ----

  private String readNodeFile() {
    try {
      return java.nio.file.Files.readString(dir.resolve("node/node.json"));
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private AgentServer server(String controllerId, NodeRegistry registry) {
    return server(controllerId, registry, List::of);
  }

  private AgentServer server(String controllerId, NodeRegistry registry, java.util.function.Supplier<List<String>> controllers) {
    return new AgentServer(vertx, ca, ca.controllerCredentials(controllerId, List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY),
        tokens, registry, new MeteringService(samples, InstanceOwners.NONE, Clock.systemUTC()), controllers, Clock.systemUTC(), random);
  }

  private AgentClient agent(List<String> controllers) {
    AgentSettings settings = new AgentSettings(dir.resolve("node"), controllers, Optional.of(tokens.create(Duration.ofHours(1))),
        "host-a", "canopy-1a", Duration.ofMillis(100));
    return new AgentClient(vertx, settings, () -> CAPACITY, () -> new HostLoad(0.1, 512),
        () -> List.of(new DomainReport("i-1", "running")),
        command -> {
          dispatched.add(command);
          return new Ack(command.id(), true, null, null, command.epoch(), null);
        },
        Clock.systemUTC(), new java.util.Random(7));
  }

  private static void assertAcked(AgentServer server, String nodeId, Command command) throws Exception {
    Ack ack = server.commands().send(nodeId, command, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertThat(ack.commandId()).isEqualTo(command.id());
    assertThat(ack.ok()).isTrue();
    assertThat(ack.heldEpoch()).isEqualTo(command.epoch());
  }

  private static boolean available(NodeRegistry registry, String nodeId) {
    return registry.get(nodeId).map(NodeRecord::available).orElse(false);
  }

  private static ObjectNode payload() {
    return JsonNodeFactory.instance.objectNode().put("instanceId", "i-1");
  }

  private static void eventually(BooleanSupplier condition) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("condition not met within 15 s");
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
