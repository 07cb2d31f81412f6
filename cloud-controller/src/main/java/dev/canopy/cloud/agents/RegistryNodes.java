package dev.canopy.cloud.agents;

import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.Nodes;
import java.util.List;

/**
 * The scheduler's view of the node registry: every enrolled node with the capacity it last
 * reported (zero before its first report), available while it heart-beats.
 */
public final class RegistryNodes implements Nodes {

  private final NodeRegistry registry;

  public RegistryNodes(NodeRegistry registry) {
    this.registry = registry;
  }

  @Override
  public List<NodeInfo> list() {
    return registry.list().stream()
        .map(node -> new NodeInfo(node.nodeId(), node.zone(), capacityOf(node), node.state() == NodeState.AVAILABLE))
        .toList();
  }

  private static Capacity capacityOf(NodeRecord node) {
    return node.capacity() == null ? Capacity.ZERO
        : new Capacity(node.capacity().vcpus(), node.capacity().memoryMib(), node.capacity().diskGib());
  }
}
