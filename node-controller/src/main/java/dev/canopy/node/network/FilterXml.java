package dev.canopy.node.network;

import dev.canopy.node.hypervisor.LibvirtXml;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * An instance's security groups as a libvirt nwfilter, applied to its interface. Stateful, like a
 * security group: each allowed rule admits new flows, replies to an admitted flow pass both ways,
 * everything else IPv4 is dropped. DHCP is always allowed, or the guest could not learn its
 * address. With source/destination checking on (EC2's default) libvirt's {@code clean-traffic}
 * is included: no MAC, IP or ARP spoofing (it needs the interface's {@code IP} parameter).
 *
 * <p>nwfilter's directions are the guest's: {@code in} is traffic to the instance.
 */
public final class FilterXml {

  /** Lower runs first; the drop-all sits after every accept. */
  private static final String PRIORITY_ESTABLISHED = "100";
  private static final String PRIORITY_DHCP = "200";
  private static final String PRIORITY_RULES = "300";
  private static final String PRIORITY_DROP = "1000";

  private FilterXml() {}

  /** The filter's name for an instance. */
  public static String filterName(String instanceId) {
    return "canopy-" + instanceId;
  }

  public static String render(String instanceId, Firewall firewall) {
    LibvirtXml xml = LibvirtXml.document("filter");
    Element filter = xml.root();
    filter.setAttribute("name", filterName(instanceId));
    filter.setAttribute("chain", "root");
    if (firewall.sourceDestCheck()) {
      xml.child(filter, "filterref", "filter", "clean-traffic");
    }
    Element established = xml.child(filter, "rule", "action", "accept", "direction", "inout", "priority", PRIORITY_ESTABLISHED);
    xml.child(established, "all", "state", "ESTABLISHED,RELATED");
    Element dhcpOut = xml.child(filter, "rule", "action", "accept", "direction", "out", "priority", PRIORITY_DHCP);
    xml.child(dhcpOut, "udp", "srcportstart", "68", "dstportstart", "67");
    Element dhcpIn = xml.child(filter, "rule", "action", "accept", "direction", "in", "priority", PRIORITY_DHCP);
    xml.child(dhcpIn, "udp", "srcportstart", "67", "dstportstart", "68");
    for (FirewallRule rule : firewall.rules()) {
      rule(xml, filter, rule);
    }
    Element drop = xml.child(filter, "rule", "action", "drop", "direction", "inout", "priority", PRIORITY_DROP);
    xml.child(drop, "all");
    return xml.serialize();
  }

  private static void rule(LibvirtXml xml, Element filter, FirewallRule rule) {
    boolean ingress = switch (rule.direction()) {
      case "ingress" -> true;
      case "egress" -> false;
      default -> throw new IllegalArgumentException("firewall direction must be ingress or egress: " + rule.direction());
    };
    String protocol = rule.protocol() == null ? "" : rule.protocol().toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("icmp") && !protocol.equals("all")) {
      throw new IllegalArgumentException("firewall protocol must be tcp, udp, icmp or all: " + rule.protocol());
    }
    Subnet peer = Subnet.parse(rule.cidr());
    Element r = xml.child(filter, "rule", "action", "accept", "direction", ingress ? "in" : "out", "priority", PRIORITY_RULES);
    Element match = xml.child(r, protocol, "state", "NEW");
    // The peer is the source of traffic to the instance, the destination of traffic from it.
    match.setAttribute(ingress ? "srcipaddr" : "dstipaddr", Subnet.format(peer.network()));
    match.setAttribute(ingress ? "srcipmask" : "dstipmask", Integer.toString(peer.prefixLength()));
    if (protocol.equals("tcp") || protocol.equals("udp")) {
      if (rule.fromPort() >= 0 && rule.toPort() >= 0) {
        match.setAttribute("dstportstart", Integer.toString(port(rule.fromPort())));
        match.setAttribute("dstportend", Integer.toString(port(rule.toPort())));
      }
    } else if (protocol.equals("icmp")) {
      if (rule.fromPort() >= 0) {
        match.setAttribute("type", Integer.toString(rule.fromPort()));
      }
      if (rule.toPort() >= 0) {
        match.setAttribute("code", Integer.toString(rule.toPort()));
      }
    }
  }

  private static int port(int value) {
    if (value > 65535) {
      throw new IllegalArgumentException("port out of range: " + value);
    }
    return value;
  }
}
