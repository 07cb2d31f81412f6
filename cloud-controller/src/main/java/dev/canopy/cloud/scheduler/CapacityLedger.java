package dev.canopy.cloud.scheduler;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reserved capacity per node, kept in a grid table and changed only by compare-and-set, so two
 * controllers' threads reserving on one node at once never both win the last slot: one of the
 * two {@code replace} calls sees a changed record and retries against the new usage.
 */
public final class CapacityLedger {

  /** The grid map holding one {@link NodeCapacity} per node. */
  public static final String MAP = "node-capacity";

  private final Table<NodeCapacity> table;

  public CapacityLedger(Table<NodeCapacity> table) {
    this.table = table;
  }

  /** Reserves {@code need} on the node when it still fits; true when reserved. */
  public boolean reserve(NodeInfo node, Capacity need) {
    for (int attempt = 0; attempt < Tables.ATTEMPTS_MAX; attempt++) {
      Optional<NodeCapacity> current = table.get(node.nodeId());
      if (current.isEmpty()) {
        table.putIfAbsent(node.nodeId(), new NodeCapacity(node.nodeId(), node.total(), Capacity.ZERO));
        continue;
      }
      NodeCapacity before = current.get();
      // The node's own report of its size wins over the last one recorded.
      NodeCapacity resized = new NodeCapacity(node.nodeId(), node.total(), before.used());
      if (!resized.free().fits(need)) {
        return false;
      }
      NodeCapacity after = new NodeCapacity(node.nodeId(), node.total(), before.used().plus(need));
      if (table.replace(node.nodeId(), before, after)) {
        return true;
      }
    }
    throw new IllegalStateException("no reservation on " + node.nodeId() + " won in " + Tables.ATTEMPTS_MAX + " attempts");
  }

  /**
   * Gives back what an instance had reserved.
   *
   * @throws IllegalStateException when more is released than was reserved (double release: a bug)
   */
  public void release(String nodeId, Capacity amount) {
    Tables.update(table, nodeId, before -> {
      Capacity used = before.used();
      if (!used.fits(amount)) {
        throw new IllegalStateException("releasing " + amount + " on " + nodeId + " which has only " + used + " reserved");
      }
      return new NodeCapacity(nodeId, before.total(), used.minus(amount));
    });
  }

  public Capacity used(String nodeId) {
    return table.get(nodeId).map(NodeCapacity::used).orElse(Capacity.ZERO);
  }

  /** Reserved capacity of every accounted node. */
  public Map<String, Capacity> usedByNode() {
    Map<String, Capacity> used = new HashMap<>();
    List<NodeCapacity> all = table.values(n -> true);
    all.forEach(n -> used.put(n.nodeId(), n.used()));
    return used;
  }
}
