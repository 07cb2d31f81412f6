package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.hypervisor.DomainMetadata;
import dev.canopy.node.hypervisor.DomainXml;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.NicStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop on a {@link FakeHypervisor} with an in-memory controller that can be offline or lose acks. */
class MeteringLoopTest {

  private static final String NODE = "node-a";
  private static final String MAC = "52:54:00:12:34:56";

  @TempDir Path dataDir;

  private final FakeHypervisor hypervisor = new FakeHypervisor();
  private final FakeController controller = new FakeController();
  private Vertx vertx;
  private long rxBytes = 1_000;
  private boolean trafficFlows = true;

  /** Stores each batch id once, like the controller's sample table; acks unless told to lose the ack. */
  private static final class FakeController implements MeteringLoop.BatchSender {
    final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    final AtomicInteger sends = new AtomicInteger();
    volatile boolean online = true;
    volatile int loseEveryNthAck;

    @Override
    public boolean connected() {
      return online;
    }

    @Override
    public Future<Void> send(String batchId, JsonNode samples) {
      if (!online) {
        return Future.failedFuture("no session");
      }
      stored.putIfAbsent(batchId, samples);
      int n = sends.incrementAndGet();
      return loseEveryNthAck > 0 && n % loseEveryNthAck == 0 ? Future.failedFuture("session ended before the ack") : Future.succeededFuture();
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    define("i-mine", NODE);
    define("i-other", "node-b");
    hypervisor.setStats("i-other", new GuestStats(1, 1, List.of(new NicStats("vnet9", "52:54:00:99:99:99", 5, 5, 5, 5))));
    setTraffic(0);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anOutageLostAcksAndARestartNeitherLoseNorDoubleASample() throws Exception {
    MeteringLoop loop = deploy();
    await(() -> loop.storedReadings() >= 1);
    long firstSight;
    synchronized (this) {
      firstSight = rxBytes;
    }
    long traffic = vertx.setPeriodic(5, id -> setTraffic(1_500));

    await(() -> controller.stored.size() >= 5);
    controller.online = false;
    await(() -> loop.queuedBatches() >= 10);

    // The agent restarts with batches queued; the new loop continues from the stored baselines.
    undeploy(loop);
    MeteringLoop restarted = deploy();
    await(() -> restarted.queuedBatches() >= 20);

    controller.loseEveryNthAck = 3;
    controller.online = true;
    restarted.shipSoon();
    await(() -> controller.stored.size() >= 40);
    controller.loseEveryNthAck = 0;

    vertx.cancelTimer(traffic);
    long finalRx = stopTraffic();
    long readings = restarted.storedReadings();
    await(() -> restarted.storedReadings() >= readings + 2 && restarted.queuedBatches() == 0);

    List<Long> seqs = controller.stored.keySet().stream().map(id -> Long.parseLong(id.substring(0, id.indexOf('-')))).sorted().toList();
    assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    assertThat(controller.sends.get()).as("lost acks were resent").isGreaterThan(seqs.size());
    long rxSum = 0;
    for (JsonNode batch : controller.stored.values()) {
      for (JsonNode sample : batch) {
        assertThat(sample.path("instanceId").asText()).as("only this node's guests").isEqualTo("i-mine");
        rxSum += sample.path("rxBytes").asLong();
      }
    }
    assertThat(rxSum).isEqualTo(finalRx - firstSight);
  }

  private MeteringLoop deploy() throws Exception {
    MeteringLoop loop = new MeteringLoop(new OwnedGuests(hypervisor, new NodeIdentity(NODE)),
        SampleQueue.open(dataDir, new SplittableRandom()), controller, Clock.systemUTC(), Duration.ofMillis(50));
    vertx.deployVerticle(loop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return loop;
  }

  private void undeploy(MeteringLoop loop) throws Exception {
    vertx.undeploy(loop.deploymentID()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The counter's final value; a timer callback already running adds nothing more. */
  private synchronized long stopTraffic() {
    trafficFlows = false;
    return rxBytes;
  }

  private synchronized void setTraffic(long moreRxBytes) {
    if (!trafficFlows) {
      return;
    }
    rxBytes += moreRxBytes;
    hypervisor.setStats("i-mine", new GuestStats(rxBytes * 10, 262_144, List.of(new NicStats("vnet0", MAC, rxBytes, rxBytes / 1_500, 0, 0))));
  }

  private void define(String id, String node) {
    hypervisor.define("<domain><name>" + id + "</name><metadata>"
        + DomainXml.renderMetadataElement(new DomainMetadata(node, id, null, null, null)) + "</metadata></domain>");
    hypervisor.start(id);
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(condition);
  }
}
