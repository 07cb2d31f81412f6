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
  /** Heartbeat times that changed nothing else: in memory only (replicated, never written to disk). */
  public static final String PULSES_MAP = dev.canopy.cloud.grid.Grid.VOLATILE_PREFIX + "node-pulses";
  public static final int MISSED_HEARTBEATS = 3;

  private final Table<NodeRecord> nodes;
  /** Null: every heartbeat writes the record (unit tests' registries). */
  private final Table<NodePulse> pulses;
  private final InstantSource clock;
  private final Duration heartbeatInterval;
  private volatile dev.canopy.cloud.events.EventRecorder events = dev.canopy.cloud.events.EventRecorder.NONE;

  public NodeRegistry(Table<NodeRecord> nodes, InstantSource clock, Duration heartbeatInterval) {
    this(nodes, null, clock, heartbeatInterval);
  }

  /**
   * @param pulses where heartbeats that change nothing but the time are recorded instead of the
   *     durable record (see {@link NodePulse}); null to write every heartbeat to the record
   */
  public NodeRegistry(Table<NodeRecord> nodes, Table<NodePulse> pulses, InstantSource clock, Duration heartbeatInterval) {
    this.nodes = nodes;
    this.pulses = pulses;
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
    if (pulses != null) {
      Optional<NodeRecord> recorded = nodes.get(nodeId);
      if (recorded.isPresent() && recorded.get().available() && recorded.get().reports(capacity, load, domains)) {
        // Nothing but the time is new: no synced write of the record. (A sweep that read the old
        // time just before may still mark the node unavailable; its next heartbeat brings it back.)
        pulses.put(nodeId, new NodePulse(nodeId, now));
        return Optional.of(recorded.get().heardAt(now));
      }
    }
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
    java.util.Map<String, Instant> pulsed = pulseTimes();
    for (NodeRecord candidate : nodes.values(n -> n.available() && stale(withPulse(n, pulsed.get(n.nodeId())), cutoff))) {
      // Re-checked inside the compare-and-set: a heartbeat that won the race keeps it available.
      boolean[] moved = new boolean[1];
      Instant pulse = pulses == null ? null : pulses.get(candidate.nodeId()).map(NodePulse::at).orElse(null);
      Tables.update(nodes, candidate.nodeId(), node -> {
        // Another controller's sweep may have moved it first: only the write that lands counts.
        moved[0] = node.available() && stale(withPulse(node, pulse), cutoff);
        return moved[0] ? node.withState(NodeState.UNAVAILABLE) : node;
      }).filter(node -> moved[0]).ifPresent(changed::add);
    }
    changed.forEach(node -> events.record(dev.canopy.cloud.events.EventTypes.NODE_LOST, null, node.nodeId(),
        java.util.Map.of("lastHeartbeat", String.valueOf(node.lastHeartbeat()))));
    return changed;
  }

  /** The node as last recorded, with the time of its last heartbeat even when that changed nothing else. */
  public Optional<NodeRecord> get(String nodeId) {
    Optional<NodeRecord> recorded = nodes.get(nodeId);
    if (recorded.isEmpty() || pulses == null) {
      return recorded;
    }
    return Optional.of(withPulse(recorded.get(), pulses.get(nodeId).map(NodePulse::at).orElse(null)));
  }

  /** Every node, as {@link #get} gives it. */
  public List<NodeRecord> list() {
    java.util.Map<String, Instant> pulsed = pulseTimes();
    return nodes.values(n -> true).stream().map(n -> withPulse(n, pulsed.get(n.nodeId()))).toList();
  }

  private java.util.Map<String, Instant> pulseTimes() {
    java.util.Map<String, Instant> times = new java.util.HashMap<>();
    if (pulses != null) {
      pulses.values(p -> true).forEach(p -> times.put(p.nodeId(), p.at()));
    }
    return times;
  }

  /** The record with the later of its own heartbeat time and its pulse's. */
  private static NodeRecord withPulse(NodeRecord node, Instant pulse) {
    boolean later = pulse != null && (node.lastHeartbeat() == null || pulse.isAfter(node.lastHeartbeat()));
    return later ? node.heardAt(pulse) : node;
  }

  /**
   * Tells {@code onChange} of every later change to any node record (null: removed), by any
   * controller; for views that must not read the whole registry per use.
   *
   * @throws UnsupportedOperationException when the registry's table cannot be watched
   */
  public AutoCloseable watch(java.util.function.BiConsumer<String, NodeRecord> onChange) {
    return nodes.watch(onChange);
  }

  private static boolean stale(NodeRecord node, Instant cutoff) {
    return node.lastHeartbeat() == null || !node.lastHeartbeat().isAfter(cutoff);
  }
}
