package dev.canopy.cloud.agents;

import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.hypervisor.DomainMetadata;
import dev.canopy.node.hypervisor.DomainXml;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.NicStats;
import dev.canopy.node.metering.MeteringLoop;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metering promise end to end, over a real mutual-TLS {@link AgentServer} and a real
 * {@link AgentClient} and {@link MeteringLoop} on a {@link FakeHypervisor}: traffic flows while the
 * controller is unreachable (and, in one test, while the agent restarts with batches queued), then
 * the controller returns on the same port; every batch reaches the sample table once, with no gap
 * in the sequence, and the rx deltas add up to exactly what the guest received.
 */
class MeteringExactlyOnceTest {

  private static final Duration METERING_INTERVAL = Duration.ofMillis(100);
  private static final String INSTANCE = "i-0000000000000abcd";
  private static final String MAC_A = "52:54:00:00:0a:01";
  private static final String MAC_B = "52:54:00:00:0a:02";

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final FakeHypervisor hypervisor = new FakeHypervisor();
  /** The controller's durable sample table: it outlives every server incarnation. */
  private final InMemoryTable<SampleBatchRecord> samples = new InMemoryTable<>();
  private final InMemoryTable<NodeRecord> nodes = new InMemoryTable<>();
  private final InMemoryTable<TokenRecord> tokenTable = new InMemoryTable<>();
  private Vertx vertx;
  private CertificateAuthority ca;
  private AgentServer server;
  private int port;
  private AgentClient agent;
  private MeteringLoop loop;
  private String nodeId;
  private long rxBytesA = 1_000;
  private long rxBytesB = 50;
  private boolean trafficFlows = true;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(), new SecretBox(MasterKey.generate(random), random),
        "test", Clock.systemUTC(), random);
    port = startServer(0);
    String token = tokens().create(Duration.ofHours(1));
    agent = startAgent(Optional.of(token));
    nodeId = await(agent.start());
    awaitUntil(agent::connected);
    hypervisor.define("<domain><name>" + INSTANCE + "</name><metadata>"
        + DomainXml.renderMetadataElement(new DomainMetadata(nodeId, INSTANCE, "111122223333", "t3.micro", null))
        + "</metadata></domain>");
    hypervisor.start(INSTANCE);
    addTraffic(0, 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (loop != null) {
      await(vertx.undeploy(loop.deploymentID()));
    }
    await(agent.close());
    await(server.close());
    await(vertx.close());
  }

  @Test
  void controllerUnreachableWhileTrafficFlowsThenBackEverySampleArrivesOnce() throws Exception {
    loop = startLoop();
    long[] firstSight = firstSightAfterTheFirstReading();
    long traffic = vertx.setPeriodic(10, id -> addTraffic(1_500, 90));
    awaitUntil(() -> samples.size() >= 5);

    await(server.close());
    awaitUntil(() -> !agent.connected());
    int storedBeforeOutage = samples.size();
    awaitUntil(() -> loop.queuedBatches() >= 25);
    assertThat(samples.size()).as("nothing arrives while the controller is down").isEqualTo(storedBeforeOutage);
    startServer(port);
    awaitUntil(() -> agent.connected() && loop.queuedBatches() == 0);

    long[] total = stopTraffic(traffic);
    long readings = loop.storedReadings();
    awaitUntil(() -> loop.storedReadings() >= readings + 2 && loop.queuedBatches() == 0);

    assertEverySampleOnce(firstSight, total);
  }

  @Test
  void anAgentRestartWithQueuedBatchesKeepsExactlyOnceAndLosesNoDelta() throws Exception {
    loop = startLoop();
    long[] firstSight = firstSightAfterTheFirstReading();
    long traffic = vertx.setPeriodic(10, id -> addTraffic(1_500, 90));
    awaitUntil(() -> samples.size() >= 5);

    await(server.close());
    awaitUntil(() -> !agent.connected());
    awaitUntil(() -> loop.queuedBatches() >= 10);

    // The agent process restarts: a new session client and loop on the same data dir, traffic going on.
    await(vertx.undeploy(loop.deploymentID()));
    await(agent.close());
    agent = startAgent(Optional.empty());
    assertThat(await(agent.start())).isEqualTo(nodeId);
    loop = startLoop();
    int queuedAtRestart = loop.queuedBatches();
    assertThat(queuedAtRestart).as("the queue survived the restart").isGreaterThanOrEqualTo(10);
    awaitUntil(() -> loop.queuedBatches() >= queuedAtRestart + 10);

    startServer(port);
    awaitUntil(() -> agent.connected() && loop.queuedBatches() == 0);
    long[] total = stopTraffic(traffic);
    long readings = loop.storedReadings();
    awaitUntil(() -> loop.storedReadings() >= readings + 2 && loop.queuedBatches() == 0);

    assertEverySampleOnce(firstSight, total);
  }

  // ---- checks ----

  /** Every batch once, no sequence gap, no sample twice, and the deltas add up to the counters' increase. */
  private void assertEverySampleOnce(long[] firstSight, long[] total) {
    List<SampleBatchRecord> batches = samples.values(b -> b.nodeId().equals(nodeId));
    List<Long> seqs = batches.stream().map(b -> Long.parseLong(b.batchId().substring(0, b.batchId().indexOf('-')))).sorted().toList();
    assertThat(seqs).as("batch sequence without gaps or repeats").isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());

    long rxA = 0;
    long rxB = 0;
    long txA = 0;
    Set<String> seen = new HashSet<>();
    for (SampleBatchRecord batch : batches) {
      for (JsonNode sample : batch.samples()) {
        assertThat(sample.path("instanceId").asText()).isEqualTo(INSTANCE);
        String key = sample.path("mac").asText("instance") + "@" + sample.path("timestampMs").asLong();
        assertThat(seen.add(key)).as("sample %s stored twice", key).isTrue();
        switch (sample.path("mac").asText("")) {
          case MAC_A -> {
            rxA += sample.path("rxBytes").asLong();
            txA += sample.path("txBytes").asLong();
          }
          case MAC_B -> rxB += sample.path("rxBytes").asLong();
          default -> assertThat(sample.has("cpuTimeNanos")).isTrue();
        }
      }
    }
    assertThat(rxA).as("rx bytes of NIC A").isEqualTo(total[0] - firstSight[0]);
    assertThat(rxB).as("rx bytes of NIC B").isEqualTo(total[1] - firstSight[1]);
    assertThat(txA).as("tx bytes of NIC A").isEqualTo((total[0] - firstSight[0]) / 1_500 * 90);
  }

  // ---- the guest's traffic ----

  private synchronized void addTraffic(long rxA, long rxB) {
    if (!trafficFlows) {
      return;
    }
    rxBytesA += rxA;
    rxBytesB += rxB;
    long txA = (rxBytesA - 1_000) / 1_500 * 90;
    hypervisor.setStats(INSTANCE, new GuestStats(rxBytesA * 7, 524_288, List.of(
        new NicStats("vnet0", MAC_A, rxBytesA, rxBytesA / 1_000, txA, txA / 90),
        new NicStats("vnet1", MAC_B, rxBytesB, rxBytesB / 50, 0, 0))));
  }

  /** Stops the traffic; returns the counters' final values. A timer callback already running adds nothing. */
  private synchronized long[] stopTraffic(long timer) {
    vertx.cancelTimer(timer);
    trafficFlows = false;
    return new long[] {rxBytesA, rxBytesB};
  }

  /** The counters when the loop took its baselines (traffic starts only after). */
  private long[] firstSightAfterTheFirstReading() {
    awaitUntil(() -> loop.storedReadings() >= 1);
    synchronized (this) {
      return new long[] {rxBytesA, rxBytesB};
    }
  }

  // ---- the controller and the agent ----

  private EnrollmentTokens tokens() {
    return new EnrollmentTokens(tokenTable, Clock.systemUTC(), random, ca.caSha256());
  }

  /** A controller incarnation on {@code listenPort} (0: any) over the same durable tables. */
  private int startServer(int listenPort) throws Exception {
    NodeRegistry registry = new NodeRegistry(nodes, Clock.systemUTC(), Duration.ofMillis(500));
    server = new AgentServer(vertx, ca, ca.controllerCredentials("c1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY),
        tokens(), registry, new MeteringService(samples, InstanceOwners.NONE, Clock.systemUTC()), List.of(), Clock.systemUTC(), random);
    return await(server.listen("127.0.0.1", listenPort));
  }

  private AgentClient startAgent(Optional<String> token) {
    AgentSettings settings = new AgentSettings(dir.resolve("node"), List.of("https://127.0.0.1:" + port), token, "host-a",
        "canopy-1a", Duration.ofMillis(500)).withMeteringInterval(METERING_INTERVAL);
    return new AgentClient(vertx, settings, () -> new HostCapacity(4, 8192, 100), () -> new HostLoad(0.1, 256), List::of,
        command -> new Ack(command.id(), false, "NotReady", "no compute in this test", 0, null), Clock.systemUTC(),
        new java.util.Random(7));
  }

  private MeteringLoop startLoop() throws Exception {
    AgentSettings settings = new AgentSettings(dir.resolve("node"), List.of(), Optional.empty(), "host-a", "canopy-1a",
        Duration.ofMillis(500)).withMeteringInterval(METERING_INTERVAL);
    MeteringLoop created = MeteringLoop.create(agent, hypervisor, new NodeIdentity(nodeId), settings.dataDir(),
        settings.meteringInterval(), Clock.systemUTC(), new java.util.Random(11));
    await(vertx.deployVerticle(created));
    return created;
  }

  private static void awaitUntil(Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
