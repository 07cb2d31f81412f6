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

  /** The same record heard from at {@code at}: a heartbeat with nothing else new. */
  NodeRecord heardAt(Instant at) {
    return new NodeRecord(nodeId, hostname, zone, capacity, load, state, enrolledAt, at, domains);
  }

  /** True when a heartbeat with these values would change nothing but the time. */
  boolean reports(HostCapacity newCapacity, HostLoad newLoad, List<DomainReport> newDomains) {
    return java.util.Objects.equals(capacity, newCapacity) && java.util.Objects.equals(load, newLoad)
        && domains.equals(newDomains == null ? List.of() : newDomains);
  }

  NodeRecord withState(NodeState newState) {
    return new NodeRecord(nodeId, hostname, zone, capacity, load, newState, enrolledAt, lastHeartbeat, domains);
  }

  public boolean available() {
    return state == NodeState.AVAILABLE;
  }
}
