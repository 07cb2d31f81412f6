package dev.canopy.node.hypervisor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory {@link Hypervisor} for handler tests and simulations. It follows libvirt's rules
 * where handlers depend on them (starting a running domain, destroying a shut-off one or
 * undefining a running one fail with {@link HypervisorException.Kind#INVALID_STATE}; unknown
 * names with {@link HypervisorException.Kind#NO_DOMAIN}) and adds knobs libvirt's test driver
 * lacks: guests that ignore ACPI, calls that hang until released, and call counters.
 */
public final class FakeHypervisor implements Hypervisor {

  /** The operations, for counters and hangs. */
  public enum Op {
    DEFINE, START, SHUTDOWN, DESTROY, REBOOT, UNDEFINE, STATE, FIND, LIST, HOST_INFO, STATS
  }

  private record FakeDomain(String xml, DomainMetadata metadata, DomainState state) {
    FakeDomain withState(DomainState s) {
      return new FakeDomain(xml, metadata, s);
    }
  }

  private final Map<String, FakeDomain> domains = new LinkedHashMap<>();
  private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
  private final Map<Op, CountDownLatch> hangs = new EnumMap<>(Op.class);
  private final Set<String> ignoresAcpi = new HashSet<>();
  private final Map<String, String> networks = new LinkedHashMap<>();
  private final Map<String, String> filters = new LinkedHashMap<>();
  private final Map<String, GuestStats> counters = new LinkedHashMap<>();
  private final HostInfo host;

  public FakeHypervisor(HostInfo host) {
    this.host = host;
  }

  /** 8 CPUs and 16 GiB. */
  public FakeHypervisor() {
    this(new HostInfo(8, 16L * 1024 * 1024));
  }

  /** From now on the named guest ignores ACPI power-button presses (no acpid in the guest). */
  public synchronized void ignoreAcpi(String name) {
    ignoresAcpi.add(name);
  }

  /** Every later call of {@code op} blocks until the returned latch is counted down. */
  public synchronized CountDownLatch hang(Op op) {
    CountDownLatch latch = new CountDownLatch(1);
    hangs.put(op, latch);
    return latch;
  }

  /** How many times {@code op} was called (including failed calls). */
  public synchronized int calls(Op op) {
    return calls.getOrDefault(op, 0);
  }

  /** The XML a domain was last defined with. */
  public synchronized Optional<String> xmlOf(String name) {
    return Optional.ofNullable(domains.get(name)).map(FakeDomain::xml);
  }

  @Override
  public void define(String domainXml) {
    enter(Op.DEFINE);
    String name;
    Optional<DomainMetadata> metadata;
    try {
      name = DomainXml.name(domainXml);
      metadata = DomainXml.metadata(domainXml);
    } catch (IllegalArgumentException e) {
      // libvirt's VIR_ERR_XML_ERROR
      throw new HypervisorException(HypervisorException.Kind.FAILED, "define", 27, "VIR_ERR_XML_ERROR", e.getMessage(), null);
    }
    synchronized (this) {
      FakeDomain old = domains.get(name);
      DomainState state = old == null ? DomainState.SHUTOFF : old.state();
      domains.put(name, new FakeDomain(domainXml, metadata.orElse(null), state));
    }
  }

  @Override
  public void start(String name) {
    enter(Op.START);
    synchronized (this) {
      FakeDomain d = existing("start", name);
      requireState("start", d, false);
      domains.put(name, d.withState(DomainState.RUNNING));
    }
  }

  @Override
  public void shutdown(String name) {
    enter(Op.SHUTDOWN);
    synchronized (this) {
      FakeDomain d = existing("shutdown", name);
      requireState("shutdown", d, true);
      if (!ignoresAcpi.contains(name)) {
        domains.put(name, d.withState(DomainState.SHUTOFF));
      }
    }
  }

  @Override
  public void destroy(String name) {
    enter(Op.DESTROY);
    synchronized (this) {
      FakeDomain d = existing("destroy", name);
      requireState("destroy", d, true);
      domains.put(name, d.withState(DomainState.SHUTOFF));
    }
  }

  @Override
  public void reboot(String name) {
    enter(Op.REBOOT);
    synchronized (this) {
      requireState("reboot", existing("reboot", name), true);
    }
  }

  @Override
  public void undefine(String name) {
    enter(Op.UNDEFINE);
    synchronized (this) {
      FakeDomain d = existing("undefine", name);
      // libvirt would make a running domain transient; Canopy always destroys first, so insist on it.
      requireState("undefine", d, false);
      domains.remove(name);
    }
  }

  @Override
  public DomainState state(String name) {
    enter(Op.STATE);
    synchronized (this) {
      return existing("state", name).state();
    }
  }

  @Override
  public Optional<DomainSummary> find(String name) {
    enter(Op.FIND);
    synchronized (this) {
      return Optional.ofNullable(domains.get(name)).map(d -> new DomainSummary(name, d.state(), d.metadata()));
    }
  }

  @Override
  public List<DomainSummary> list() {
    enter(Op.LIST);
    synchronized (this) {
      List<DomainSummary> out = new ArrayList<>();
      domains.forEach((name, d) -> out.add(new DomainSummary(name, d.state(), d.metadata())));
      return out;
    }
  }

  /**
   * Sets the counters {@link #stats} reports for the named domain while it runs (tests drive
   * "traffic" by raising them, and a tap re-creation by lowering them). Unset: all zero, no NICs.
   */
  public synchronized void setStats(String name, GuestStats stats) {
    counters.put(name, stats);
  }

  @Override
  public Optional<GuestStats> stats(String name) {
    enter(Op.STATS);
    synchronized (this) {
      FakeDomain d = domains.get(name);
      if (d == null || !d.state().isActive()) {
        return Optional.empty();
      }
      return Optional.of(counters.getOrDefault(name, new GuestStats(0, 0, List.of())));
    }
  }

  @Override
  public synchronized void ensureNetwork(String name, String networkXml) {
    networks.putIfAbsent(name, networkXml);
  }

  @Override
  public synchronized void defineFilter(String name, String filterXml) {
    filters.put(name, filterXml);
  }

  @Override
  public synchronized void undefineFilter(String name) {
    filters.remove(name);
  }

  /** The filter's current definition, as the agent last wrote it. */
  public synchronized Optional<String> filterXml(String name) {
    return Optional.ofNullable(filters.get(name));
  }

  public synchronized Set<String> networkNames() {
    return Set.copyOf(networks.keySet());
  }

  @Override
  public HostInfo hostInfo() {
    enter(Op.HOST_INFO);
    return host;
  }

  /** A host with no security model: guests run as whoever libvirt runs as. */
  @Override
  public String capabilities() {
    return "<capabilities><host><secmodel><model>none</model></secmodel></host></capabilities>";
  }

  @Override
  public void close() {}

  /** Counts the call, then blocks (outside the lock) while the op is made to hang. */
  private void enter(Op op) {
    CountDownLatch hang;
    synchronized (this) {
      calls.merge(op, 1, Integer::sum);
      hang = hangs.get(op);
    }
    if (hang == null) {
      return;
    }
    // Like a call stuck in native code: interrupts do not end the hang, only the latch does.
    boolean interrupted = false;
    while (true) {
      try {
        hang.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private FakeDomain existing(String operation, String name) {
    FakeDomain d = domains.get(name);
    if (d == null) {
      throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, operation,
          HypervisorException.VIR_ERR_NO_DOMAIN, "VIR_ERR_NO_DOMAIN", "Domain not found: " + name, null);
    }
    return d;
  }

  private static void requireState(String operation, FakeDomain d, boolean mustBeActive) {
    if (d.state().isActive() != mustBeActive) {
      throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, operation,
          HypervisorException.VIR_ERR_OPERATION_INVALID, "VIR_ERR_OPERATION_INVALID",
          "Requested operation is not valid: domain is " + (mustBeActive ? "not running" : "already running"), null);
    }
  }
}
