package dev.canopy.cloud.agents;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.Nodes;
import java.util.List;
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
 */
public final class RegistryNodes implements Nodes {

  private final NodeRegistry registry;
  private final Predicate<String> reachable;

  /** @param reachable whether a node has a session with this controller now */
  public RegistryNodes(NodeRegistry registry, Predicate<String> reachable) {
    this.registry = registry;
    this.reachable = reachable;
  }

  @Override
  public List<NodeInfo> list() {
    return registry.list().stream()
        .map(node -> new NodeInfo(node.nodeId(), node.zone(), capacityOf(node),
            node.state() == NodeState.AVAILABLE && reachable.test(node.nodeId())))
        .toList();
  }

  private static Capacity capacityOf(NodeRecord node) {
    return node.capacity() == null ? Capacity.ZERO
        : new Capacity(node.capacity().vcpus(), node.capacity().memoryMib(), node.capacity().diskGib());
  }
}
