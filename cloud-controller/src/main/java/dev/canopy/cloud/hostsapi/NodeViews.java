package dev.canopy.cloud.hostsapi;

import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** What the console shows of nodes: no certificate, token or key, only what the registry and instances say. */
final class NodeViews {

  private NodeViews() {}

  /** One node in the list. */
  record Summary(String nodeId, String hostname, String zone, String state, HostCapacity capacity, HostLoad load,
      Instant lastHeartbeat, int domains) {}

  record InstanceRow(String instanceId, String accountId, String state, String type) {}

  /** One node with its instances. */
  record Detail(String nodeId, String hostname, String zone, String state, HostCapacity capacity, HostLoad load,
      Instant enrolledAt, Instant lastHeartbeat, int domains, List<InstanceRow> instances) {}

  static Summary summary(NodeRecord node) {
    return new Summary(node.nodeId(), node.hostname(), node.zone(), String.valueOf(node.state()), node.capacity(), node.load(),
        node.lastHeartbeat(), node.domains().size());
  }

  static Detail detail(NodeRecord node, List<Instance> instances) {
    List<InstanceRow> rows = instances.stream()
        .sorted(Comparator.comparing(Instance::instanceId))
        .map(i -> new InstanceRow(i.instanceId(), i.ownerId(), i.state().wireName(), i.instanceType()))
        .toList();
    return new Detail(node.nodeId(), node.hostname(), node.zone(), String.valueOf(node.state()), node.capacity(), node.load(),
        node.enrolledAt(), node.lastHeartbeat(), node.domains().size(), rows);
  }
}
