package dev.canopy.cloud.agents;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.Nodes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The scheduler's view of the node registry: every enrolled node with the capacity it last
 * reported (zero before its first report), available while it heart-beats <em>and</em> has a
 * session with this controller.
 *
 * <p>The registry is shared by every controller, so a node heart-beating to another controller is
 * AVAILABLE there before (or without) having a session with this one — right after a controller
 * starts or the lease moves. A launch placed on such a node could never be sent and would end
 * terminated; left unplaced, it goes to a node this controller can command.
 *
 * <p>The records come from a copy in memory, filled by one read of the registry and kept current by
 * a watch on it, not from a read of every record per placement. A change reaches the copy a moment
 * after it lands in the grid; placement tolerates that, since every reservation is a
 * compare-and-set and a node that has just gone away fails its command and gives the capacity back.
 * A registry that cannot be watched (a unit test's table) is read on every call instead.
 */
public final class RegistryNodes implements Nodes {

  private final NodeRegistry registry;
  private final Predicate<String> reachable;
  private final Map<String, NodeRecord> copy = new ConcurrentHashMap<>();
  /** Nodes the watch changed while the first read ran: that read's older records must not win. */
  private final Set<String> changedWhileFilling = ConcurrentHashMap.newKeySet();
  private volatile boolean filling = true;
  private volatile boolean watched;
  private volatile boolean started;

  /** @param reachable whether a node has a session with this controller now */
  public RegistryNodes(NodeRegistry registry, Predicate<String> reachable) {
    this.registry = registry;
    this.reachable = reachable;
  }

  @Override
  public List<NodeInfo> list() {
    if (!started) {
      start();
    }
    return (watched ? copy.values().stream() : registry.list().stream())
        .map(node -> new NodeInfo(node.nodeId(), node.zone(), capacityOf(node),
            node.state() == NodeState.AVAILABLE && reachable.test(node.nodeId())))
        .toList();
  }

  private synchronized void start() {
    if (started) {
      return;
    }
    try {
      registry.watch((nodeId, record) -> {
        if (filling) {
          changedWhileFilling.add(nodeId);
        }
        if (record == null) {
          copy.remove(nodeId);
        } else {
          copy.put(nodeId, record);
        }
      });
    } catch (UnsupportedOperationException unwatchable) {
      started = true;
      return;
    }
    for (NodeRecord node : registry.list()) {
      if (!changedWhileFilling.contains(node.nodeId())) {
        copy.putIfAbsent(node.nodeId(), node);
      }
    }
    filling = false;
    changedWhileFilling.clear();
    watched = true;
    started = true;
  }

  private static Capacity capacityOf(NodeRecord node) {
    return node.capacity() == null ? Capacity.ZERO
        : new Capacity(node.capacity().vcpus(), node.capacity().memoryMib(), node.capacity().diskGib());
  }
}
