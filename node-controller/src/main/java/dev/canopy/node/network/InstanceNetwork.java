package dev.canopy.node.network;

import dev.canopy.node.commands.GuestNics;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.NicAttachment;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The network this agent creates and owns: a libvirt NAT network with DHCP, an address per
 * instance (kept in dnsmasq's hosts directory, see {@link AddressBook}), and an nwfilter per
 * instance built from its security groups ({@link FilterXml}).
 */
public final class InstanceNetwork implements GuestNics {

  /** Used when a command carries no firewall: nothing inbound, no spoofing. */
  private static final Firewall CLOSED = new Firewall(List.of(), true);

  private final Hypervisor hypervisor;
  private final GuestNetworkSettings settings;
  private final AddressBook addresses;

  private InstanceNetwork(Hypervisor hypervisor, GuestNetworkSettings settings, AddressBook addresses) {
    this.hypervisor = hypervisor;
    this.settings = settings;
    this.addresses = addresses;
  }

  /** Creates the network if it is missing and starts it; reads the addresses already assigned. */
  public static InstanceNetwork open(Hypervisor hypervisor, GuestNetworkSettings settings) throws IOException {
    // The hosts directory must exist before dnsmasq starts, or dnsmasq refuses to start.
    Path leases = settings.hostsDir().resolveSibling(settings.bridge() + ".status");
    AddressBook addresses = AddressBook.open(settings.hostsDir(), settings.parsedSubnet(),
        mac -> DhcpLeases.leasedToOthers(leases, mac));
    hypervisor.ensureNetwork(settings.name(), NetworkXml.render(settings));
    return new InstanceNetwork(hypervisor, settings, addresses);
  }

  // attach, updateFirewall and detach hold this object's lock: an update checks that the instance
  // is plugged in and defines its filter as one step, so a terminate running at the same time
  // removes the filter after the update, never before it (which would leave the filter behind).

  @Override
  public synchronized NicAttachment attach(InstanceSpec spec) throws IOException {
    String address = addresses.assign(spec.instanceId(), spec.macAddress());
    String filter = FilterXml.filterName(spec.instanceId());
    hypervisor.defineFilter(filter, FilterXml.render(spec.instanceId(), spec.firewall() == null ? CLOSED : spec.firewall()));
    return NicAttachment.network(settings.name()).filtered(filter, address);
  }

  @Override
  public synchronized boolean updateFirewall(String instanceId, Firewall firewall) {
    if (addresses.addressOf(instanceId).isEmpty()) {
      return false;
    }
    hypervisor.defineFilter(FilterXml.filterName(instanceId), FilterXml.render(instanceId, firewall));
    return true;
  }

  @Override
  public synchronized void detach(String instanceId) throws IOException {
    hypervisor.undefineFilter(FilterXml.filterName(instanceId));
    addresses.release(instanceId);
  }

  @Override
  public Optional<String> addressOf(String instanceId) {
    return addresses.addressOf(instanceId);
  }
}
