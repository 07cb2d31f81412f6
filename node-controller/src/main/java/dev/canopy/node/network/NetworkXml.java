package dev.canopy.node.network;

import dev.canopy.node.hypervisor.LibvirtXml;
import org.w3c.dom.Element;

/** The libvirt network definition for {@link GuestNetworkSettings}. */
public final class NetworkXml {

  /** libvirt's namespace for passing options straight to the network's dnsmasq. */
  static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

  private NetworkXml() {}

  public static String render(GuestNetworkSettings settings) {
    Subnet subnet = settings.parsedSubnet();
    LibvirtXml xml = LibvirtXml.document("network");
    Element network = xml.root();
    network.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:dnsmasq", DNSMASQ_NS);
    xml.text(network, "name", settings.name());
    // NAT so guests reach out (package mirrors, the metadata of later issues) without a routed subnet.
    xml.child(network, "forward", "mode", "nat");
    xml.child(network, "bridge", "name", settings.bridge(), "stp", "off", "delay", "0");
    Element ip = xml.child(network, "ip", "address", subnet.gateway(), "netmask", subnet.netmask());
    Element dhcp = xml.child(ip, "dhcp");
    xml.child(dhcp, "range", "start", Subnet.format(subnet.firstGuest()), "end", Subnet.format(subnet.lastGuest()));
    // The agent assigns each instance its address by writing a file here; dnsmasq watches the
    // directory, so no libvirt call (and no network restart) is needed per instance.
    Element options = xml.childNs(network, DNSMASQ_NS, "dnsmasq:options");
    xml.childNs(options, DNSMASQ_NS, "dnsmasq:option", "value", "dhcp-hostsdir=" + settings.hostsDir());
    return xml.serialize();
  }
}
