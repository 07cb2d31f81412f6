package dev.canopy.cloud.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.grid.InMemoryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private static final Capacity SMALL = new Capacity(1, 1024, 10);
  private final NodeInfo a = new NodeInfo("node-a", "z1", new Capacity(8, 16384, 200), true);
  private final NodeInfo b = new NodeInfo("node-b", "z1", new Capacity(8, 16384, 200), true);
  private final NodeInfo c = new NodeInfo("node-c", "z2", new Capacity(8, 16384, 200), true);

  @Test
  void filtersZoneAvailabilityAndEveryResource() {
    NodeInfo down = new NodeInfo("node-d", "z1", new Capacity(64, 65536, 1000), false);
    assertThat(Placement.rank(List.of(a, c, down), Map.of(), SMALL, "z2", PlacementPolicy.SPREAD, new Random(1))).containsExactly("node-c");
    assertThat(Placement.rank(List.of(a, down), Map.of(), SMALL, null, PlacementPolicy.SPREAD, new Random(1))).containsExactly("node-a");
    assertThat(Placement.rank(List.of(a), Map.of("node-a", new Capacity(8, 0, 0)), SMALL, null, PlacementPolicy.SPREAD, new Random(1))).isEmpty();
    assertThat(Placement.rank(List.of(a), Map.of("node-a", new Capacity(0, 16000, 0)), SMALL, null, PlacementPolicy.SPREAD, new Random(1))).isEmpty();
    assertThat(Placement.rank(List.of(a), Map.of("node-a", new Capacity(0, 0, 195)), SMALL, null, PlacementPolicy.SPREAD, new Random(1))).isEmpty();
  }

  @Test
  void spreadPrefersTheEmptiestAndPackTheFullest() {
    Map<String, Capacity> used = Map.of("node-a", new Capacity(6, 1024, 10));
    assertThat(Placement.rank(List.of(a, b), used, SMALL, null, PlacementPolicy.SPREAD, new Random(1))).containsExactly("node-b", "node-a");
    assertThat(Placement.rank(List.of(a, b), used, SMALL, null, PlacementPolicy.PACK, new Random(1))).containsExactly("node-a", "node-b");
  }

  @Test
  void tiesAreBrokenByTheSeedAndReplayExactly() {
    List<NodeInfo> nodes = List.of(a, b, new NodeInfo("node-e", "z1", a.total(), true));
    List<List<String>> orders = new ArrayList<>();
    for (int seed = 0; seed < 20; seed++) {
      List<String> first = Placement.rank(nodes, Map.of(), SMALL, null, PlacementPolicy.SPREAD, new Random(seed));
      assertThat(Placement.rank(List.of(nodes.get(2), nodes.get(0), nodes.get(1)), Map.of(), SMALL, null, PlacementPolicy.SPREAD, new Random(seed)))
          .as("input order does not matter").isEqualTo(first);
      orders.add(first);
    }
    assertThat(orders.stream().map(o -> o.get(0)).distinct()).as("equal nodes share the load").hasSizeGreaterThan(1);
  }

  @Test
  void ledgerNeverOverCommitsUnderConcurrentReservations() throws Exception {
    InMemoryTable<NodeCapacity> table = new InMemoryTable<>();
    CapacityLedger ledger = new CapacityLedger(table);
    List<NodeInfo> nodes = List.of(
        new NodeInfo("n1", "z1", new Capacity(50, 51200, 500), true),
        new NodeInfo("n2", "z1", new Capacity(30, 30720, 300), true),
        new NodeInfo("n3", "z1", new Capacity(20, 20480, 200), true));
    Scheduler scheduler = new Scheduler(() -> nodes, ledger, PlacementPolicy.SPREAD, new Random(7));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger placed = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 200; i++) {
          if (scheduler.place(SMALL, null).isPresent()) {
            placed.incrementAndGet();
          } else {
            refused.incrementAndGet();
          }
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(placed.get()).isEqualTo(100);
    assertThat(refused.get()).isEqualTo(1500);
    for (NodeInfo n : nodes) {
      assertThat(ledger.used(n.nodeId()).vcpus()).isEqualTo(n.total().vcpus());
      assertThat(n.total().fits(ledger.used(n.nodeId()))).isTrue();
    }
  }

  @Test
  void releaseGivesBackAndDoubleReleaseIsABug() {
    CapacityLedger ledger = new CapacityLedger(new InMemoryTable<>());
    assertThat(ledger.reserve(a, SMALL)).isTrue();
    ledger.release("node-a", SMALL);
    assertThat(ledger.used("node-a")).isEqualTo(Capacity.ZERO);
    assertThatThrownBy(() -> ledger.release("node-a", SMALL)).isInstanceOf(IllegalStateException.class);
  }
}
