package dev.canopy.cloud.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.InMemoryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many launch threads on two schedulers (two controllers' batchers and ledgers over one capacity
 * table) against nodes with room for a handful each: every slot is taken exactly once, no node
 * holds more than it offers, and the ledger equals what the launches were given.
 */
class ConcurrentPlacementTest {

  private static final Capacity NANO = new Capacity(2, 512, 8);
  private static final int THREADS = 24;
  /** Slots per node: 3 + 1 + 4 + 2 + 1 + 5 = 16. */
  private static final int[] SLOTS = {3, 1, 4, 2, 1, 5};

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everySlotIsTakenExactlyOnceAndNoNodeIsOverCommitted() throws Exception {
    for (int round = 0; round < 20; round++) {
      runOnce(round);
    }
  }

  private void runOnce(int seed) throws Exception {
    List<NodeInfo> nodes = new ArrayList<>();
    int slots = 0;
    for (int n = 0; n < SLOTS.length; n++) {
      Capacity total = new Capacity(NANO.vcpus() * SLOTS[n], NANO.memoryMib() * SLOTS[n], NANO.diskGib() * SLOTS[n]);
      nodes.add(new NodeInfo("n" + n, "z1", total, true));
      slots += SLOTS[n];
    }
    InMemoryTable<NodeCapacity> table = new InMemoryTable<NodeCapacity>().watchable();
    List<Scheduler> controllers = List.of(
        new Scheduler(() -> nodes, new CapacityLedger(table), PlacementPolicy.SPREAD, new Random(seed)),
        new Scheduler(() -> nodes, new CapacityLedger(table), PlacementPolicy.PACK, new Random(seed + 1000)));
    Map<String, AtomicInteger> given = new ConcurrentHashMap<>();
    AtomicInteger placed = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Scheduler scheduler = controllers.get(t % 2);
      int count = 1 + t % 3;
      workers.add(pool.submit(() -> {
        start.await();
        while (true) {
          List<NodeInfo> got = scheduler.placeUpTo(NANO, null, count);
          got.forEach(n -> given.computeIfAbsent(n.nodeId(), k -> new AtomicInteger()).incrementAndGet());
          placed.addAndGet(got.size());
          if (got.size() < count) {
            return null; // something did not fit: every node was full when the scheduler last read them all
          }
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }

    assertThat(placed.get()).as("seed %d: instances placed", seed).isEqualTo(slots);
    for (int n = 0; n < SLOTS.length; n++) {
      String nodeId = "n" + n;
      assertThat(given.get(nodeId).get()).as("seed %d: placements on %s", seed, nodeId).isEqualTo(SLOTS[n]);
      Capacity used = table.get(nodeId).orElseThrow().used();
      assertThat(used).as("seed %d: ledger of %s", seed, nodeId)
          .isEqualTo(new Capacity(NANO.vcpus() * SLOTS[n], NANO.memoryMib() * SLOTS[n], NANO.diskGib() * SLOTS[n]));
      assertThat(nodes.get(n).total().fits(used)).isTrue();
    }
  }
}
