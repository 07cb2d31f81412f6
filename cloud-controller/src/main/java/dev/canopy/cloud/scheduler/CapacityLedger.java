package dev.canopy.cloud.scheduler;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reserved capacity per node, kept in a grid table and changed only by compare-and-set, so two
 * controllers' threads (or two placement batches) reserving on one node at once never both win the
 * last slot: one of the two {@code replace} calls sees a changed record and retries against the new
 * usage.
 *
 * <p>Reads for ranking come from a copy in memory ({@link #usedByNode}): filled by one full read,
 * then kept current by this ledger's own writes and by a watch on the table (other controllers'
 * writes). The copy is only a hint: every reservation is a compare-and-set against the grid's
 * record, and a lost one re-reads that record. A copy that shows too much used (a release not seen
 * yet) can only make placement refuse what would fit, so the scheduler re-reads everything ({@link
 * #refresh}) before it answers that nothing fits.
 */
public final class CapacityLedger {

  /** The grid map holding one {@link NodeCapacity} per node. */
  public static final String MAP = "node-capacity";

  private final Table<NodeCapacity> table;
  /** The last record seen per node: this ledger's writes, the watch's events, re-reads. */
  private final Map<String, NodeCapacity> known = new ConcurrentHashMap<>();
  private volatile boolean primed;

  public CapacityLedger(Table<NodeCapacity> table) {
    this.table = table;
  }

  /** Reserves {@code need} on the node when it still fits; true when reserved. */
  public boolean reserve(NodeInfo node, Capacity need) {
    return reserveAll(Map.of(node, need)).get(node.nodeId());
  }

  /**
   * Reserves an amount on each of several nodes, each by its own compare-and-set (sent together, so
   * their durable writes overlap), retrying a node whose record changed meanwhile.
   *
   * @return per node id, true when its amount was reserved, false when it no longer fits there
   */
  public Map<String, Boolean> reserveAll(Map<NodeInfo, Capacity> needs) {
    Map<String, Boolean> outcome = new LinkedHashMap<>();
    Map<String, NodeInfo> pending = new LinkedHashMap<>();
    Map<String, Capacity> amounts = new HashMap<>();
    needs.forEach((node, need) -> {
      pending.put(node.nodeId(), node);
      amounts.put(node.nodeId(), need);
    });
    for (int attempt = 0; attempt < Tables.ATTEMPTS_MAX && !pending.isEmpty(); attempt++) {
      Map<String, NodeCapacity> current = current(pending);
      Map<String, Table.Replacement<NodeCapacity>> changes = new LinkedHashMap<>();
      for (NodeInfo node : pending.values()) {
        NodeCapacity before = current.get(node.nodeId());
        // The node's own report of its size wins over the last one recorded.
        NodeCapacity resized = new NodeCapacity(node.nodeId(), node.total(), before.used());
        Capacity need = amounts.get(node.nodeId());
        if (!resized.free().fits(need)) {
          outcome.put(node.nodeId(), false);
          continue;
        }
        changes.put(node.nodeId(), new Table.Replacement<>(before, new NodeCapacity(node.nodeId(), node.total(), before.used().plus(need))));
      }
      pending.keySet().retainAll(changes.keySet());
      Map<String, Boolean> stored = changes.isEmpty() ? Map.of() : table.replaceAll(changes);
      stored.forEach((nodeId, won) -> {
        if (won) {
          known.put(nodeId, changes.get(nodeId).value());
          outcome.put(nodeId, true);
          pending.remove(nodeId);
        } else {
          // Someone else wrote it: the next attempt starts from the record as it is now.
          known.remove(nodeId);
        }
      });
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("no reservation on " + pending.keySet() + " won in " + Tables.ATTEMPTS_MAX + " attempts");
    }
    return outcome;
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
    }).ifPresent(after -> known.put(nodeId, after));
  }

  public Capacity used(String nodeId) {
    return table.get(nodeId).map(NodeCapacity::used).orElse(Capacity.ZERO);
  }

  /** Reserved capacity of every accounted node, from the copy in memory (see the class comment). */
  public Map<String, Capacity> usedByNode() {
    if (!primed) {
      refresh();
    }
    Map<String, Capacity> used = new HashMap<>();
    known.values().forEach(n -> used.put(n.nodeId(), n.used()));
    return used;
  }

  /**
   * Reads every record again into the copy in memory; the first call also starts watching the
   * table (where it can be watched: otherwise every {@link #usedByNode} reads the table).
   */
  public synchronized void refresh() {
    if (!primed) {
      try {
        table.watch((nodeId, record) -> {
          if (record == null) {
            known.remove(nodeId);
          } else {
            known.put(nodeId, record);
          }
        });
        primed = true;
      } catch (UnsupportedOperationException unwatchable) {
        primed = false;
      }
    }
    List<NodeCapacity> all = table.values(n -> true);
    all.forEach(n -> known.put(n.nodeId(), n));
  }

  /** The records of these nodes: from memory where known, else read, else created empty. */
  private Map<String, NodeCapacity> current(Map<String, NodeInfo> nodes) {
    Map<String, NodeCapacity> found = new HashMap<>();
    List<String> unknown = new java.util.ArrayList<>();
    for (String nodeId : nodes.keySet()) {
      NodeCapacity record = known.get(nodeId);
      if (record == null) {
        unknown.add(nodeId);
      } else {
        found.put(nodeId, record);
      }
    }
    if (!unknown.isEmpty()) {
      Map<String, NodeCapacity> read = table.getAll(unknown);
      for (String nodeId : unknown) {
        NodeCapacity record = read.get(nodeId);
        if (record == null) {
          NodeCapacity empty = new NodeCapacity(nodeId, nodes.get(nodeId).total(), Capacity.ZERO);
          // Whoever creates it first, the record is there afterwards: read it back.
          table.putIfAbsent(nodeId, empty);
          record = table.get(nodeId).orElse(empty);
        }
        known.put(nodeId, record);
        found.put(nodeId, record);
      }
    }
    return found;
  }
}
