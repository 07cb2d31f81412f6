package dev.canopy.cloud.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.InMemoryTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler under launches and terminations at once, of mixed instance types, as a busy cloud
 * sees them: the ledger always equals what the instances still hold, no node ever holds more than
 * it has, and a node that shrank or went away gets nothing new while its instances still release.
 */
class SchedulerChurnTest {

  private static final List<Capacity> TYPES = List.of(
      new Capacity(1, 512, 8), new Capacity(2, 4096, 20), new Capacity(4, 1024, 40));
  private static final int THREADS = 6;
  private static final int STEPS_PER_THREAD = 300;

  /** One placement; {@code serial} keeps two equal placements apart when one is released. */
  private record Held(long serial, String nodeId, Capacity need) {}

  private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void launchesAndTerminationsAtOnceLeaveTheLedgerEqualToWhatInstancesHold() throws Exception {
    List<NodeInfo> nodes = List.of(
        new NodeInfo("n1", "z1", new Capacity(16, 16384, 200), true),
        new NodeInfo("n2", "z1", new Capacity(12, 8192, 300), true),
        new NodeInfo("n3", "z2", new Capacity(8, 32768, 100), true));
    CapacityLedger ledger = new CapacityLedger(new InMemoryTable<>());
    Scheduler scheduler = new Scheduler(() -> nodes, ledger, PlacementPolicy.SPREAD, new Random(5));
    ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> overCommits = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(THREADS);

    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = t;
      workers.add(pool.submit(() -> {
        Random random = new Random(seed);
        List<Held> mine = new ArrayList<>();
        start.await(30, TimeUnit.SECONDS);
        for (int step = 0; step < STEPS_PER_THREAD; step++) {
          if (!mine.isEmpty() && random.nextInt(3) == 0) {
            Held gone = mine.remove(random.nextInt(mine.size()));
            held.remove(gone);
            scheduler.release(gone.nodeId(), gone.need());
          } else {
            Capacity need = TYPES.get(random.nextInt(TYPES.size()));
            scheduler.place(need, random.nextBoolean() ? null : "z1").ifPresent(node -> {
              Held h = new Held(SERIALS.incrementAndGet(), node.nodeId(), need);
              mine.add(h);
              held.add(h);
            });
          }
          for (NodeInfo n : nodes) {
            if (!n.total().fits(ledger.used(n.nodeId()))) {
              overCommits.add(n.nodeId() + " holds " + ledger.used(n.nodeId()));
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get(120, TimeUnit.SECONDS);
    }

    assertThat(overCommits).as("seen at any moment").isEmpty();
    Map<String, Capacity> expected = new HashMap<>();
    for (Held h : held) {
      expected.merge(h.nodeId(), h.need(), Capacity::plus);
    }
    for (NodeInfo n : nodes) {
      assertThat(ledger.used(n.nodeId())).as(n.nodeId()).isEqualTo(expected.getOrDefault(n.nodeId(), Capacity.ZERO));
    }
    assertThat(held).as("the run placed something").isNotEmpty();
  }

  @Test
  void aNodeThatReportsLessThanItsInstancesHoldTakesNothingNewButTheyStillRelease() {
    CapacityLedger ledger = new CapacityLedger(new InMemoryTable<>());
    NodeInfo big = new NodeInfo("n1", "z1", new Capacity(8, 8192, 100), true);
    Capacity four = new Capacity(4, 4096, 10);
    assertThat(ledger.reserve(big, four)).isTrue();
    assertThat(ledger.reserve(big, four)).isTrue();

    // The node came back from maintenance with half its memory.
    NodeInfo shrunk = new NodeInfo("n1", "z1", new Capacity(8, 4096, 100), true);
    Scheduler scheduler = new Scheduler(() -> List.of(shrunk), ledger, PlacementPolicy.SPREAD, new Random(1));

    assertThat(scheduler.place(new Capacity(1, 1, 1), null)).isEmpty();
    assertThat(scheduler.reserveOn("n1", new Capacity(1, 1, 1))).isFalse();
    scheduler.release("n1", four);
    assertThat(scheduler.place(new Capacity(1, 1, 1), null)).as("still over its size: 4096 of 4096 MiB held").isEmpty();
    scheduler.release("n1", four);
    assertThat(scheduler.place(four, null)).map(NodeInfo::nodeId).contains("n1");
    assertThat(ledger.used("n1")).isEqualTo(four);
  }

  @Test
  void aNodeThatStoppedHeartbeatingGetsNothingNewAndAnUnknownOneNothingAtAll() {
    CapacityLedger ledger = new CapacityLedger(new InMemoryTable<>());
    NodeInfo silent = new NodeInfo("n1", "z1", new Capacity(8, 8192, 100), false);
    NodeInfo alive = new NodeInfo("n2", "z2", new Capacity(1, 512, 10), true);
    Scheduler scheduler = new Scheduler(() -> List.of(silent, alive), ledger, PlacementPolicy.PACK, new Random(1));
    Capacity small = new Capacity(1, 512, 10);

    assertThat(scheduler.place(small, "z1")).as("the zone's only node is silent").isEmpty();
    assertThat(scheduler.place(small, null)).map(NodeInfo::nodeId).contains("n2");
    assertThat(scheduler.place(small, null)).as("n2 is full, n1 silent").isEmpty();
    assertThat(scheduler.reserveOn("n9", small)).isFalse();
    assertThat(ledger.used("n1")).isEqualTo(Capacity.ZERO);
    assertThat(ledger.usedByNode()).doesNotContainKey("n9");
  }
}
