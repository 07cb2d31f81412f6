package dev.canopy.cloud.agents;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The enrolled nodes on the grid and their availability ({@link NodeState} has the transition
 * table). A node that sends no heartbeat for {@value #MISSED_HEARTBEATS} intervals becomes
 * unavailable at the next {@link #sweep}; its next heartbeat makes it available again. Updates
 * are compare-and-set, so a heartbeat and a sweep racing on one node never lose the heartbeat.
 */
public final class NodeRegistry {

  public static final String MAP_NAME = "nodes";
  public static final int MISSED_HEARTBEATS = 3;

  private final Table<NodeRecord> nodes;
  private final InstantSource clock;
  private final Duration heartbeatInterval;
  private volatile dev.canopy.cloud.events.EventRecorder events = dev.canopy.cloud.events.EventRecorder.NONE;

  public NodeRegistry(Table<NodeRecord> nodes, InstantSource clock, Duration heartbeatInterval) {
    this.nodes = nodes;
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** Records enrollments, nodes lost and nodes back in the event log (cloud events: the operator's only). */
  public NodeRegistry withEvents(dev.canopy.cloud.events.EventRecorder recorder) {
    this.events = recorder;
    return this;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Records a newly enrolled node; unavailable until its first heartbeat. */
  public NodeRecord enroll(String nodeId, String hostname, String zone, HostCapacity capacity) {
    NodeRecord record =
        new NodeRecord(nodeId, hostname, zone, capacity, HostLoad.UNKNOWN, NodeState.UNAVAILABLE, clock.instant(), null, List.of());
    if (!nodes.putIfAbsent(nodeId, record)) {
      throw new IllegalStateException("node id " + nodeId + " is already enrolled");
    }
    events.record(dev.canopy.cloud.events.EventTypes.NODE_ENROLLED, null, nodeId, java.util.Map.of("hostname", hostname, "zone", zone));
    return record;
  }

  /**
   * Applies a heartbeat.
   *
   * @return the node after it, or empty when the node is not enrolled (deleted meanwhile)
   */
  public Optional<NodeRecord> heartbeat(String nodeId, HostCapacity capacity, HostLoad load, List<DomainReport> domains) {
    Instant now = clock.instant();
    boolean[] back = new boolean[1];
    Optional<NodeRecord> after = Tables.update(nodes, nodeId, node -> {
      // Only the attempt that lands counts: the controller whose write moved it says it is back.
      back[0] = !node.available() && node.lastHeartbeat() != null;
      return node.withHeartbeat(capacity, load, domains, now);
    });
    if (back[0] && after.isPresent()) {
      events.record(dev.canopy.cloud.events.EventTypes.NODE_BACK, null, nodeId, java.util.Map.of());
    }
    return after;
  }

  /**
   * Marks unavailable every available node whose last heartbeat is {@value #MISSED_HEARTBEATS}
   * intervals old or older.
   *
   * @return the nodes that became unavailable in this sweep
   */
  public List<NodeRecord> sweep() {
    Instant cutoff = clock.instant().minus(heartbeatInterval.multipliedBy(MISSED_HEARTBEATS));
    List<NodeRecord> changed = new ArrayList<>();
    for (NodeRecord candidate : nodes.values(n -> n.available() && stale(n, cutoff))) {
      // Re-checked inside the compare-and-set: a heartbeat that won the race keeps it available.
      boolean[] moved = new boolean[1];
      Tables.update(nodes, candidate.nodeId(), node -> {
        // Another controller's sweep may have moved it first: only the write that lands counts.
        moved[0] = node.available() && stale(node, cutoff);
        return moved[0] ? node.withState(NodeState.UNAVAILABLE) : node;
      }).filter(node -> moved[0]).ifPresent(changed::add);
    }
    changed.forEach(node -> events.record(dev.canopy.cloud.events.EventTypes.NODE_LOST, null, node.nodeId(),
        java.util.Map.of("lastHeartbeat", String.valueOf(node.lastHeartbeat()))));
    return changed;
  }

  public Optional<NodeRecord> get(String nodeId) {
    return nodes.get(nodeId);
  }

  public List<NodeRecord> list() {
    return nodes.values(n -> true);
  }

  private static boolean stale(NodeRecord node, Instant cutoff) {
    return node.lastHeartbeat() == null || !node.lastHeartbeat().isAfter(cutoff);
  }
}
