package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.NicStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metering loop's flow control, with a controller that acks only when the test says: at most
 * {@link MeteringLoop#IN_FLIGHT_MAX} batches wait for an ack, they leave oldest first, and a full
 * queue stops storing without losing the traffic of the readings it refused.
 */
class MeteringLoopFlowTest {

  private static final String MAC = "52:54:00:12:34:56";

  @TempDir Path dataDir;
  private Vertx vertx;
  private final AtomicLong rxBytes = new AtomicLong(10_000);
  private final Controller controller = new Controller();

  /** Holds every batch's ack until released; remembers the order of first sends. */
  private static final class Controller implements MeteringLoop.BatchSender {
    final Map<String, Promise<Void>> waiting = new ConcurrentHashMap<>();
    final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    final List<Long> firstSends = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile boolean online = true;
    /** Acks at once instead of waiting for {@link #ackAll}. */
    volatile boolean autoAck;

    @Override
    public boolean connected() {
      return online;
    }

    @Override
    public synchronized Future<Void> send(String batchId, JsonNode samples) {
      if (stored.putIfAbsent(batchId, samples) == null) {
        firstSends.add(Long.parseLong(batchId.substring(0, batchId.indexOf('-'))));
      }
      if (autoAck) {
        return Future.succeededFuture();
      }
      Promise<Void> ack = Promise.promise();
      waiting.put(batchId, ack);
      return ack.future();
    }

    /** Acks every batch waiting now. */
    void ackAll() {
      List<String> ids = List.copyOf(waiting.keySet());
      for (String id : ids) {
        Promise<Void> p = waiting.remove(id);
        if (p != null) {
          p.complete();
        }
      }
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Each reading sees 1,000 more bytes received. */
  private Map<String, GuestStats> reading() {
    long rx = rxBytes.addAndGet(1_000);
    return Map.of("i-mine", new GuestStats(rx, 262_144, List.of(new NicStats("vnet0", MAC, rx, rx / 100, 0, 0))));
  }

  private MeteringLoop deploy(SampleQueue queue) throws Exception {
    MeteringLoop loop = new MeteringLoop(this::reading, queue, controller, Clock.systemUTC(), Duration.ofMillis(20));
    vertx.deployVerticle(loop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return loop;
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  @Test
  void noMoreThanTheBoundWaitForAnAckAndTheyLeaveOldestFirst() throws Exception {
    MeteringLoop loop = deploy(SampleQueue.open(dataDir, new SplittableRandom(1)));

    await(() -> loop.queuedBatches() >= 3 * MeteringLoop.IN_FLIGHT_MAX);
    assertThat(controller.waiting).hasSize(MeteringLoop.IN_FLIGHT_MAX);
    assertThat(controller.firstSends).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

    for (int round = 0; round < 3; round++) {
      controller.ackAll();
      int sent = controller.firstSends.size();
      await(() -> controller.firstSends.size() > sent);
      assertThat(controller.waiting.size()).isLessThanOrEqualTo(MeteringLoop.IN_FLIGHT_MAX);
    }
    List<Long> order = List.copyOf(controller.firstSends);
    assertThat(order).as("oldest first, none skipped").isEqualTo(java.util.stream.LongStream.rangeClosed(1, order.size())
        .boxed().toList());
  }

  @Test
  void aFullQueueStopsStoringAndTheNextStoredReadingSpansTheGap() throws Exception {
    controller.online = false;
    SampleQueue queue = SampleQueue.open(dataDir, 3, 1L << 20, new SplittableRandom(2));
    MeteringLoop loop = deploy(queue);

    // A first sighting (stored as baselines only, rx 11,000), then three readings fill the queue.
    // (The loop counts a reading just after the queue holds it: wait for both.)
    await(() -> queue.segments() == 3 && loop.storedReadings() == 4);
    long storedWhenFull = loop.storedReadings();
    long rxWhenFull = rxBytes.get();
    await(() -> rxBytes.get() >= rxWhenFull + 5_000); // five readings or more refused meanwhile
    assertThat(queue.segments()).isEqualTo(3);
    assertThat(loop.storedReadings()).as("nothing stored while full").isEqualTo(storedWhenFull);

    controller.autoAck = true;
    controller.online = true;
    loop.shipSoon();
    await(() -> controller.stored.size() >= 6);
    controller.online = false;
    vertx.undeploy(loop.deploymentID()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    SampleQueue reopened = SampleQueue.open(dataDir, 3, 1L << 20, new SplittableRandom(3));
    Map<String, JsonNode> all = new ConcurrentHashMap<>(controller.stored);
    for (SampleQueue.Batch b : reopened.peek(100, Set.of())) {
      all.putIfAbsent(b.batchId(), b.samples());
    }
    long rx = 0;
    long widest = 0;
    for (JsonNode batch : all.values()) {
      for (JsonNode sample : batch) {
        rx += sample.path("rxBytes").asLong();
        widest = Math.max(widest, sample.path("rxBytes").asLong());
      }
    }
    long lastCounted = reopened.baselines().guests().get("i-mine").nics().get(MAC).rxBytes();
    assertThat(widest).as("the first reading stored after the gap carries the refused readings' traffic")
        .isGreaterThanOrEqualTo(6_000);
    assertThat(rx).as("every byte since the first sighting, once").isEqualTo(lastCounted - 11_000);
  }
}
