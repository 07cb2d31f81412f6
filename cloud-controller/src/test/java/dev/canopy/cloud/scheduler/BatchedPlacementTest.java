package dev.canopy.cloud.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.ForwardingTable;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * One pass places a batch exactly as one-by-one launches would, and the ledger's copy in memory is
 * only ever a hint: a stale copy loses its compare-and-set instead of over-committing, and a copy
 * that shows too much used is re-read before the scheduler says nothing fits.
 */
class BatchedPlacementTest {

  private static final Capacity NANO = new Capacity(2, 512, 8);
  private static final Capacity TWO_NANO = NANO.plus(NANO);

  private static List<NodeInfo> nodes(int count, Capacity each) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      nodes.add(new NodeInfo("n" + n, "z1", each, true));
    }
    return nodes;
  }

  /** Nodes of 7, 11, 13, 17 and 19 slots: their free fractions never tie, so the order alone decides. */
  private static List<NodeInfo> primeSizedNodes() {
    List<NodeInfo> nodes = new ArrayList<>();
    int[] slots = {7, 11, 13, 17, 19};
    for (int n = 0; n < slots.length; n++) {
      int k = slots[n];
      nodes.add(new NodeInfo("n" + (n + 1), "z1", new Capacity(NANO.vcpus() * k, NANO.memoryMib() * k, NANO.diskGib() * k), true));
    }
    return nodes;
  }

  @Test
  void aBatchLandsWhereTheSameLaunchesOneByOneWouldSpreadAndPack() {
    for (PlacementPolicy policy : PlacementPolicy.values()) {
      List<NodeInfo> nodes = primeSizedNodes();
      Scheduler oneByOne = new Scheduler(() -> nodes, new CapacityLedger(new InMemoryTable<>()), policy, new Random(9));
      Scheduler batched = new Scheduler(() -> nodes, new CapacityLedger(new InMemoryTable<>()), policy, new Random(9));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        oneByOne.place(NANO, null).ifPresent(n -> expected.add(n.nodeId()));
      }

      List<Scheduler.Demand> demands = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        demands.add(new Scheduler.Demand(NANO, null, 1));
      }
      List<String> actual = batched.placeAll(demands).stream().flatMap(List::stream).map(NodeInfo::nodeId).toList();

      assertThat(actual).as(policy.name()).hasSize(40).isEqualTo(expected);
    }
  }

  @Test
  void aDemandForSeveralGetsAsManyAsFitAndTheRestOfTheBatchStillPlaces() {
    List<NodeInfo> nodes = nodes(2, TWO_NANO);
    Scheduler scheduler = new Scheduler(() -> nodes, new CapacityLedger(new InMemoryTable<>()), PlacementPolicy.SPREAD, new Random(1));

    List<List<NodeInfo>> placed = scheduler.placeAll(List.of(
        new Scheduler.Demand(NANO, null, 3), new Scheduler.Demand(NANO, "elsewhere", 1), new Scheduler.Demand(NANO, null, 5)));

    assertThat(placed.get(0)).hasSize(3);
    assertThat(placed.get(1)).as("no node in that zone").isEmpty();
    assertThat(placed.get(2)).as("the one slot left").hasSize(1);
  }

  @Test
  void aLedgerWithAStaleCopyLosesItsCompareAndSetAndNeverOverCommits() {
    List<NodeInfo> nodes = nodes(3, TWO_NANO);
    InMemoryTable<NodeCapacity> table = new InMemoryTable<NodeCapacity>().watchable();
    CapacityLedger first = new CapacityLedger(table);
    // The other controller's copy hears nothing after its first read: the worst a lagging watch can do.
    CapacityLedger second = new CapacityLedger(deaf(table));
    assertThat(second.usedByNode()).isEmpty();
    Scheduler a = new Scheduler(() -> nodes, first, PlacementPolicy.SPREAD, new Random(2));
    Scheduler b = new Scheduler(() -> nodes, second, PlacementPolicy.SPREAD, new Random(3));

    assertThat(a.placeUpTo(NANO, null, 6)).hasSize(6);
    assertThat(b.placeUpTo(NANO, null, 1)).as("every node is full, whatever b's copy said").isEmpty();

    for (NodeInfo node : nodes) {
      assertThat(table.get(node.nodeId()).orElseThrow().used()).isEqualTo(TWO_NANO);
    }
  }

  @Test
  void aReleaseTheCopyHasNotSeenIsFoundBeforeAnsweringThatNothingFits() {
    List<NodeInfo> nodes = nodes(3, TWO_NANO);
    InMemoryTable<NodeCapacity> table = new InMemoryTable<NodeCapacity>().watchable();
    CapacityLedger deafLedger = new CapacityLedger(deaf(table));
    Scheduler scheduler = new Scheduler(() -> nodes, deafLedger, PlacementPolicy.SPREAD, new Random(4));
    assertThat(scheduler.placeUpTo(NANO, null, 6)).hasSize(6);
    // Another controller releases on n2; this ledger's copy still shows n2 full.
    new CapacityLedger(table).release("n2", NANO);

    assertThat(scheduler.placeUpTo(NANO, null, 1)).extracting(NodeInfo::nodeId).containsExactly("n2");
    assertThat(table.get("n2").orElseThrow().used()).isEqualTo(TWO_NANO);
  }

  /** The same rows as {@code table}, but a watch on it never fires. */
  private static <T> Table<T> deaf(InMemoryTable<T> table) {
    return new ForwardingTable<>() {
      @Override
      public Table<T> delegate() {
        return table;
      }

      @Override
      public AutoCloseable watch(BiConsumer<String, T> onChange) {
        return () -> { };
      }
    };
  }
}
