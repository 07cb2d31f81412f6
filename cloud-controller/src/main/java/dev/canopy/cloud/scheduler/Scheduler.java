package dev.canopy.cloud.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Chooses a node for one instance and reserves its capacity there: ranks nodes with {@link
 * Placement}, then reserves on the first that still has room (another launch may have filled
 * the best one since the ranking was made).
 */
public final class Scheduler {

  private final Nodes nodes;
  private final CapacityLedger ledger;
  private final PlacementPolicy policy;
  private final RandomGenerator random;

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
    List<NodeInfo> all = nodes.list();
    Map<String, Capacity> used = ledger.usedByNode();
    List<String> ranked;
    // RandomGenerator implementations are not thread safe; ranking is cheap, so serialise it.
    synchronized (random) {
      ranked = Placement.rank(all, used, need, zone, policy, random);
    }
    for (String nodeId : ranked) {
      NodeInfo node = all.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst().orElseThrow();
      if (ledger.reserve(node, need)) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
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
}
