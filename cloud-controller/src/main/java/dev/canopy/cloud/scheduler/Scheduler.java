package dev.canopy.cloud.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Chooses nodes for instances and reserves their capacity there. Concurrent launches are grouped
 * ({@link PlacementBatcher}): one pass ranks nodes with {@link Placement} for every instance of the
 * batch in arrival order, each on the usage left by the ones before it (exactly as if they had come
 * one by one), then reserves per node with one compare-and-set for the batch's whole amount there
 * ({@link CapacityLedger#reserveAll}). A node another writer filled meanwhile loses its
 * compare-and-set; the instances planned there are ranked again against its new usage.
 */
public final class Scheduler {

  /** The most launches one pass decides: bounds a pass's time and the writes sent at once. */
  static final int BATCH_MAX = 256;

  /** Up to {@code count} instances of {@code need} each, in {@code zone} (null for any). */
  record Demand(Capacity need, String zone, int count) {}

  private final Nodes nodes;
  private final CapacityLedger ledger;
  private final PlacementPolicy policy;
  private final RandomGenerator random;
  private final PlacementBatcher<Demand, List<NodeInfo>> batcher = new PlacementBatcher<>(this::placeAll, BATCH_MAX);

  public Scheduler(Nodes nodes, CapacityLedger ledger, PlacementPolicy policy, RandomGenerator random) {
    this.nodes = nodes;
    this.ledger = ledger;
    this.policy = policy;
    this.random = random;
  }

  /**
   * @param zone the zone the caller asked for, or null for any
   * @return the node now holding the reservation; empty when no node can take it
   */
  public Optional<NodeInfo> place(Capacity need, String zone) {
    return placeUpTo(need, zone, 1).stream().findFirst();
  }

  /**
   * Places as many of {@code count} instances as fit, in the same pass as the launches running
   * alongside, each reserved on its node.
   *
   * @return the nodes now holding the reservations, one per instance placed (fewer than {@code
   *     count} when the rest fit nowhere)
   */
  public List<NodeInfo> placeUpTo(Capacity need, String zone, int count) {
    if (count < 1) {
      return List.of();
    }
    return batcher.submit(new Demand(need, zone, count));
  }

  /**
   * Reserves {@code need} on one given node (an instance resized where its domain lives).
   *
   * @return false when the node is unknown or the amount does not fit
   */
  public boolean reserveOn(String nodeId, Capacity need) {
    return nodes.list().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst()
        .map(node -> ledger.reserve(node, need)).orElse(false);
  }

  public void release(String nodeId, Capacity amount) {
    ledger.release(nodeId, amount);
  }

  /** One pass of the batcher: never runs concurrently with another. */
  List<List<NodeInfo>> placeAll(List<Demand> demands) {
    List<NodeInfo> all = new ArrayList<>(nodes.list());
    all.sort(Comparator.comparing(NodeInfo::nodeId));
    Map<String, NodeInfo> byId = new HashMap<>();
    all.forEach(n -> byId.put(n.nodeId(), n));
    List<List<NodeInfo>> placed = new ArrayList<>();
    demands.forEach(d -> placed.add(new ArrayList<>()));
    boolean reread = false;
    int lostRounds = 0;
    // Ranking draws a tie-break per fitting node per instance: from the injected generator (a
    // SecureRandom in the cloud) that is a SHA-1 round each, the pass's hottest cost over 500 nodes.
    // One draw seeds a fast generator for the pass instead; a seeded run still replays exactly.
    RandomGenerator ties;
    synchronized (random) {
      ties = new SplittableRandom(random.nextLong());
    }
    while (true) {
      Map<String, Capacity> used = new HashMap<>(ledger.usedByNode());
      Map<String, Capacity> planned = new LinkedHashMap<>();
      List<List<String>> plan = new ArrayList<>();
      boolean someDidNotFit = false;
      for (int d = 0; d < demands.size(); d++) {
        Demand demand = demands.get(d);
        List<String> mine = new ArrayList<>();
        plan.add(mine);
        for (int i = placed.get(d).size(); i < demand.count(); i++) {
          List<String> ranked = Placement.rank(all, used, demand.need(), demand.zone(), policy, ties);
          if (ranked.isEmpty()) {
            someDidNotFit = true;
            break;
          }
          String nodeId = ranked.get(0);
          used.merge(nodeId, demand.need(), Capacity::plus);
          planned.merge(nodeId, demand.need(), Capacity::plus);
          mine.add(nodeId);
        }
      }
      if (planned.isEmpty()) {
        // Nothing more fits on the usage in memory; it may lag a release, so read it all once before saying so.
        if (someDidNotFit && !reread) {
          ledger.refresh();
          reread = true;
          continue;
        }
        return placed;
      }
      Map<NodeInfo, Capacity> amounts = new LinkedHashMap<>();
      planned.forEach((nodeId, amount) -> amounts.put(byId.get(nodeId), amount));
      Map<String, Boolean> won = ledger.reserveAll(amounts);
      boolean lostAny = false;
      for (int d = 0; d < demands.size(); d++) {
        for (String nodeId : plan.get(d)) {
          if (won.get(nodeId)) {
            placed.get(d).add(byId.get(nodeId));
          } else {
            lostAny = true;
          }
        }
      }
      if (!lostAny && !someDidNotFit) {
        return placed;
      }
      if (lostAny && ++lostRounds > dev.canopy.cloud.grid.Tables.ATTEMPTS_MAX) {
        throw new IllegalStateException("placements kept losing their reservations for " + lostRounds + " rounds");
      }
    }
  }
}
