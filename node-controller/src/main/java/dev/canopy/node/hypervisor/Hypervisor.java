package dev.canopy.node.hypervisor;

import java.util.List;
import java.util.Optional;

/**
 * The few hypervisor operations a node agent needs, addressed by domain name (the instance id).
 *
 * <p>Calls block. Failures are {@link HypervisorException}s carrying a {@link
 * HypervisorException.Kind} (and libvirt's error code when libvirt produced them); a call never
 * hangs forever when the implementation is wrapped in a {@link BoundedHypervisor}.
 */
public interface Hypervisor extends AutoCloseable {

  /** Defines (persists) a domain from its XML; redefining an existing name replaces its config. */
  void define(String domainXml);

  /** Boots a defined, shut-off domain. */
  void start(String name);

  /** Asks the guest to power off (ACPI); returns without waiting for it to do so. */
  void shutdown(String name);

  /** Pulls the plug: the domain is shut off at once. */
  void destroy(String name);

  /** Asks the guest to reboot. */
  void reboot(String name);

  /** Removes a shut-off domain's definition. */
  void undefine(String name);

  /** The domain's state; {@link HypervisorException.Kind#NO_DOMAIN} when there is none. */
  DomainState state(String name);

  /** The domain with its Canopy metadata, or empty when no domain has that name. */
  Optional<DomainSummary> find(String name);

  /** Every domain the connection sees, with Canopy metadata where present (including other nodes'). */
  List<DomainSummary> list();

  /**
   * The domain's CPU time, memory and per-vNIC traffic counters (rx = into the guest), or empty
   * when no domain has that name or it is not running (a shut-off domain has no counters).
   */
  Optional<GuestStats> stats(String name);

  /**
   * Makes sure the named network exists, is active and starts with the host: defined from
   * {@code networkXml} when absent (an existing definition is kept, so running guests stay plugged in).
   */
  void ensureNetwork(String name, String networkXml);

  /** Defines or replaces the named nwfilter; interfaces using it pick the new rules up at once. */
  void defineFilter(String name, String filterXml);

  /** Removes the named nwfilter; an absent one is fine. */
  void undefineFilter(String name);

  /** The host's CPUs and memory as the hypervisor reports them. */
  HostInfo hostInfo();

  /** libvirt's capabilities document (host CPU, security models, guest types); see {@link GuestUser}. */
  String capabilities();

  @Override
  void close();
}
