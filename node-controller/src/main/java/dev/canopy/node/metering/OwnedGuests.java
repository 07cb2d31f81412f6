package dev.canopy.node.metering;

import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the counters of the running domains this node defined (their metadata names this node;
 * agents may share a libvirtd and must never meter each other's guests). Blocks on libvirt.
 *
 * <p>A guest libvirt fails on is left out of this reading with a WARN: its counters are
 * cumulative, so the next reading's delta covers the gap and nothing is lost. Failing to list the
 * domains at all fails the whole reading ({@link HypervisorException}).
 */
final class OwnedGuests implements Supplier<Map<String, GuestStats>> {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedGuests.class);

  private final Hypervisor hypervisor;
  private final NodeIdentity node;

  OwnedGuests(Hypervisor hypervisor, NodeIdentity node) {
    this.hypervisor = hypervisor;
    this.node = node;
  }

  /** By instance id (which is the domain's name). */
  @Override
  public Map<String, GuestStats> get() {
    Map<String, GuestStats> out = new HashMap<>();
    for (DomainSummary d : hypervisor.list()) {
      if (!d.ownedBy(node.nodeId()) || !d.state().isActive()) {
        continue;
      }
      if (out.size() >= CounterDeltas.GUESTS_MAX) {
        LOG.error("metering: more than {} guests on this node; the rest are not metered", CounterDeltas.GUESTS_MAX);
        break;
      }
      try {
        Optional<GuestStats> stats = hypervisor.stats(d.name());
        stats.ifPresent(s -> out.put(d.metadata().instanceId(), s));
      } catch (HypervisorException e) {
        LOG.warn("metering: no counters for {} this time (the next reading covers it): {}", d.name(), e.getMessage());
      }
    }
    return out;
  }
}
