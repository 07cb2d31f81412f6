package dev.canopy.node.hypervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.libvirt.NetworkFilter;
import org.libvirt.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Hypervisor} on libvirt-java (JNA over libvirt0). Open it with {@link #connect}, which
 * returns it inside a {@link BoundedHypervisor}: its methods block in native code and must never
 * run on an event loop or without a time bound.
 *
 * <p>Every {@link LibvirtException} becomes a {@link HypervisorException} carrying libvirt's
 * error code; libvirt's own printing of errors to stderr is replaced by a debug log line.
 */
public final class LibvirtHypervisor implements Hypervisor {

  private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);
  /** Held so JNA's callback is never garbage collected while libvirt may call it. */
  private static volatile org.libvirt.jna.Libvirt.VirErrorCallback quietErrors;

  /** libvirt's virErrorNumber values for "no such network" and "no such nwfilter". */
  private static final int VIR_ERR_NO_NETWORK = 43;
  private static final int VIR_ERR_NO_NWFILTER = 62;

  private final Connect connect;

  LibvirtHypervisor(Connect connect) {
    this.connect = connect;
  }

  /** Opens {@code settings.uri()} with every call bounded as {@link BoundedHypervisor} describes. */
  public static BoundedHypervisor connect(HypervisorSettings settings) {
    return BoundedHypervisor.open(() -> openUnbounded(settings.uri()), settings);
  }

  /** Opens a connection without bounds; only {@link #connect} and tests should call this. */
  static LibvirtHypervisor openUnbounded(String uri) {
    try {
      installQuietErrorCallback();
      return new LibvirtHypervisor(new Connect(uri));
    } catch (LibvirtException e) {
      throw translate("open " + uri, e);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new HypervisorException(HypervisorException.Kind.LIBRARY_MISSING, "open " + uri,
          HypervisorException.NO_LIBVIRT_CODE, null,
          "libvirt's C library could not be loaded; install the Debian package libvirt0 (" + e + ")", e);
    }
  }

  @Override
  public void define(String domainXml) {
    try {
      // libvirt redefines a domain only when the new definition names the same UUID.
      Optional<String> uuid = existingUuid(domainXml);
      connect.domainDefineXML(uuid.map(u -> withUuid(domainXml, "domain", u)).orElse(domainXml)).free();
    } catch (LibvirtException e) {
      throw translate("define", e);
    }
  }

  /** The UUID of the domain this XML names, if it is defined; XML that is not even well-formed is libvirt's to refuse. */
  private Optional<String> existingUuid(String domainXml) throws LibvirtException {
    String name;
    try {
      name = DomainXml.name(domainXml);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Domain existing;
    try {
      existing = connect.domainLookupByName(name);
    } catch (LibvirtException e) {
      if (HypervisorException.kindOf(codeOf(e)) == HypervisorException.Kind.NO_DOMAIN) {
        return Optional.empty();
      }
      throw e;
    }
    try {
      return Optional.of(existing.getUUIDString());
    } finally {
      free(existing);
    }
  }


  @Override
  public void start(String name) {
    onDomain("start", name, Domain::create);
  }

  @Override
  public void shutdown(String name) {
    onDomain("shutdown", name, d -> {
      d.shutdown();
      return 0;
    });
  }

  @Override
  public void destroy(String name) {
    onDomain("destroy", name, d -> {
      d.destroy();
      return 0;
    });
  }

  @Override
  public void reboot(String name) {
    onDomain("reboot", name, d -> {
      d.reboot(0);
      return 0;
    });
  }

  @Override
  public void undefine(String name) {
    onDomain("undefine", name, d -> {
      d.undefine();
      return 0;
    });
  }

  @Override
  public DomainState state(String name) {
    return onDomain("state", name, LibvirtHypervisor::stateOf);
  }

  @Override
  public Optional<DomainSummary> find(String name) {
    try {
      return Optional.of(onDomain("find", name, LibvirtHypervisor::summarize));
    } catch (HypervisorException e) {
      if (e.kind() == HypervisorException.Kind.NO_DOMAIN) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<DomainSummary> list() {
    Domain[] domains;
    try {
      domains = connect.listAllDomains(0);
    } catch (LibvirtException e) {
      throw translate("list", e);
    }
    List<DomainSummary> out = new ArrayList<>(domains.length);
    for (Domain d : domains) {
      try {
        out.add(summarize(d));
      } catch (LibvirtException e) {
        // Undefined between listing and reading: it simply is not there any more.
        if (HypervisorException.kindOf(codeOf(e)) != HypervisorException.Kind.NO_DOMAIN) {
          throw translate("list", e);
        }
      } finally {
        free(d);
      }
    }
    return out;
  }

  @Override
  public Optional<GuestStats> stats(String name) {
    try {
      return onDomain("stats", name, LibvirtHypervisor::statsOf);
    } catch (HypervisorException e) {
      // Undefined or shut off between listing and reading: it has no counters now, which is no error.
      if (e.kind() == HypervisorException.Kind.NO_DOMAIN || e.kind() == HypervisorException.Kind.INVALID_STATE) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void ensureNetwork(String name, String networkXml) {
    try {
      Network network;
      try {
        network = connect.networkLookupByName(name);
      } catch (LibvirtException e) {
        if (codeOf(e) != VIR_ERR_NO_NETWORK) {
          throw e;
        }
        network = connect.networkDefineXML(networkXml);
      }
      try {
        if (network.isActive() == 0) {
          network.create();
        }
        if (!network.getAutostart()) {
          network.setAutostart(true);
        }
      } finally {
        network.free();
      }
    } catch (LibvirtException e) {
      throw translate("ensureNetwork", e);
    }
  }

  @Override
  public void defineFilter(String name, String filterXml) {
    try {
      String xml = filterXml;
      try {
        NetworkFilter existing = connect.networkFilterLookupByName(name);
        try {
          // libvirt redefines a filter only when the new definition names the same UUID.
          xml = withUuid(filterXml, "filter", existing.getUUIDString());
        } finally {
          existing.free();
        }
      } catch (LibvirtException e) {
        if (codeOf(e) != VIR_ERR_NO_NWFILTER) {
          throw e;
        }
      }
      connect.networkFilterDefineXML(xml).free();
    } catch (LibvirtException e) {
      throw translate("defineFilter", e);
    }
  }

  @Override
  public void undefineFilter(String name) {
    try {
      NetworkFilter filter = connect.networkFilterLookupByName(name);
      try {
        filter.undefine();
      } finally {
        filter.free();
      }
    } catch (LibvirtException e) {
      if (codeOf(e) != VIR_ERR_NO_NWFILTER) {
        throw translate("undefineFilter", e);
      }
    }
  }

  /** Inserts {@code <uuid>} as the root element's first child (the UUID is hex and dashes only). */
  static String withUuid(String xml, String root, String uuid) {
    if (!uuid.matches("[0-9a-fA-F-]{36}")) {
      throw new IllegalStateException("libvirt returned a malformed UUID: " + uuid);
    }
    int start = xml.indexOf("<" + root);
    int end = start < 0 ? -1 : xml.indexOf('>', start);
    if (end < 0 || xml.charAt(end - 1) == '/') {
      throw new IllegalArgumentException("not a " + root + " definition with children");
    }
    return xml.substring(0, end + 1) + "<uuid>" + uuid + "</uuid>" + xml.substring(end + 1);
  }

  @Override
  public HostInfo hostInfo() {
    try {
      NodeInfo info = connect.nodeInfo();
      return new HostInfo(info.cpus, info.memory);
    } catch (LibvirtException e) {
      throw translate("hostInfo", e);
    }
  }

  @Override
  public String capabilities() {
    try {
      return connect.getCapabilities();
    } catch (LibvirtException e) {
      throw translate("capabilities", e);
    }
  }

  @Override
  public void close() {
    try {
      connect.close();
    } catch (LibvirtException e) {
      throw translate("close", e);
    }
  }

  private interface DomainCall<T> {
    T apply(Domain d) throws LibvirtException;
  }

  private <T> T onDomain(String operation, String name, DomainCall<T> call) {
    Domain d;
    try {
      d = connect.domainLookupByName(name);
    } catch (LibvirtException e) {
      throw translate(operation, e);
    }
    try {
      return call.apply(d);
    } catch (LibvirtException e) {
      throw translate(operation, e);
    } finally {
      free(d);
    }
  }

  private static DomainSummary summarize(Domain d) throws LibvirtException {
    return new DomainSummary(d.getName(), stateOf(d), metadataOf(d));
  }

  private static DomainState stateOf(Domain d) throws LibvirtException {
    return stateOf(d.getInfo());
  }

  private static DomainState stateOf(DomainInfo info) {
    return DomainState.valueOf(info.state.name().substring("VIR_DOMAIN_".length()));
  }

  /** CPU and memory from virDomainGetInfo; each tap named in the live XML through virDomainInterfaceStats. */
  private static Optional<GuestStats> statsOf(Domain d) throws LibvirtException {
    DomainInfo info = d.getInfo();
    if (!stateOf(info).isActive()) {
      return Optional.empty();
    }
    List<InterfaceTargets.Target> targets;
    try {
      targets = InterfaceTargets.of(d.getXMLDesc(0));
    } catch (IllegalArgumentException e) {
      throw HypervisorException.of(HypervisorException.Kind.FAILED, "stats", "unreadable domain XML: " + e.getMessage());
    }
    List<NicStats> nics = new ArrayList<>(targets.size());
    for (InterfaceTargets.Target t : targets) {
      DomainInterfaceStats s = d.interfaceStats(t.device());
      nics.add(new NicStats(t.device(), t.macAddress(),
          counter(s.rx_bytes), counter(s.rx_packets), counter(s.tx_bytes), counter(s.tx_packets)));
    }
    return Optional.of(new GuestStats(counter(info.cpuTime), counter(info.memory), nics));
  }

  /** libvirt reports -1 for a counter its driver does not keep; that counter then never moves. */
  private static long counter(long value) {
    return Math.max(0, value);
  }

  private static DomainMetadata metadataOf(Domain d) throws LibvirtException {
    String xml;
    try {
      xml = d.getMetadata(Domain.MetadataType.ELEMENT, DomainMetadata.NAMESPACE, 0);
    } catch (LibvirtException e) {
      if (codeOf(e) == HypervisorException.VIR_ERR_NO_DOMAIN_METADATA) {
        return null;
      }
      throw e;
    }
    try {
      return DomainXml.parseMetadataElement(xml);
    } catch (IllegalArgumentException e) {
      // Someone else's element in our namespace: treat the domain as not Canopy's.
      log.warn("domain {} has unreadable Canopy metadata; ignoring it: {}", d.getName(), e.getMessage());
      return null;
    }
  }

  private static void free(Domain d) {
    try {
      d.free();
    } catch (LibvirtException e) {
      log.debug("freeing a domain handle failed: {}", e.getMessage());
    }
  }

  private static int codeOf(LibvirtException e) {
    return e.getError() == null || e.getError().getCode() == null
        ? HypervisorException.NO_LIBVIRT_CODE
        : e.getError().getCode().ordinal();
  }

  static HypervisorException translate(String operation, LibvirtException e) {
    int code = codeOf(e);
    String codeName = code == HypervisorException.NO_LIBVIRT_CODE ? null : e.getError().getCode().name();
    String message = e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    return new HypervisorException(HypervisorException.kindOf(code), operation, code, codeName, message, e);
  }

  private static synchronized void installQuietErrorCallback() throws LibvirtException {
    if (quietErrors != null) {
      return;
    }
    org.libvirt.jna.Libvirt.VirErrorCallback callback = (userData, error) ->
        log.debug("libvirt: {}", error == null ? "(no detail)" : error.message);
    Connect.setErrorCallback(callback);
    quietErrors = callback;
  }
}
