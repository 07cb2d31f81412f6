package dev.canopy.cloud.agents;

import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.time.Instant;
import java.util.List;

/**
 * An enrolled node as the grid keeps it.
 *
 * @param lastHeartbeat null until the first heartbeat
 * @param domains what libvirt really runs there, as of the last heartbeat
 */
public record NodeRecord(
    String nodeId,
    String hostname,
    String zone,
    HostCapacity capacity,
    HostLoad load,
    NodeState state,
    Instant enrolledAt,
    Instant lastHeartbeat,
    List<DomainReport> domains) {

  public NodeRecord {
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  NodeRecord withHeartbeat(HostCapacity newCapacity, HostLoad newLoad, List<DomainReport> newDomains, Instant at) {
    return new NodeRecord(nodeId, hostname, zone, newCapacity, newLoad, NodeState.AVAILABLE, enrolledAt, at, newDomains);
  }

  NodeRecord withState(NodeState newState) {
    return new NodeRecord(nodeId, hostname, zone, capacity, load, newState, enrolledAt, lastHeartbeat, domains);
  }

  public boolean available() {
    return state == NodeState.AVAILABLE;
  }
}
