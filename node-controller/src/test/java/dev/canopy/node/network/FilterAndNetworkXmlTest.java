package dev.canopy.node.network;

import static dev.canopy.node.hypervisor.TestDriver.all;
import static dev.canopy.node.hypervisor.TestDriver.at;
import static dev.canopy.node.hypervisor.TestDriver.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The nwfilter and network documents parsed as libvirt reads them, element by element: what
 * {@code virsh nwfilter-dumpxml} and {@code virsh net-dumpxml} would show an operator.
 */
class FilterAndNetworkXmlTest {

  private static Element filter(FirewallRule... rules) {
    return TestDriver.parse(FilterXml.render("i-0123456789abcdef0", new Firewall(List.of(rules), true))).getDocumentElement();
  }

  private static List<Element> rules(Element filter) {
    return all(filter, "rule");
  }

  @Test
  void theFilterIsTheInstancesOwnRootChainWithAntiSpoofing() {
    Element f = filter();

    assertThat(f.getTagName()).isEqualTo("filter");
    assertThat(f.getAttribute("name")).isEqualTo("canopy-i-0123456789abcdef0");
    assertThat(f.getAttribute("chain")).isEqualTo("root");
    assertThat(all(f, "filterref")).extracting(e -> e.getAttribute("filter")).containsExactly("clean-traffic");
  }

  @Test
  void repliesAndDhcpPassFirstAndEverythingElseIsDroppedLast() {
    List<Element> rules = rules(filter(new FirewallRule("ingress", "tcp", 22, 22, "0.0.0.0/0")));

    assertThat(rules).extracting(r -> r.getAttribute("priority") + " " + r.getAttribute("action") + " "
        + r.getAttribute("direction"))
        .containsExactly("100 accept inout", "200 accept out", "200 accept in", "300 accept in", "1000 drop inout");
    assertThat(only(rules.get(0), "all").getAttribute("state")).isEqualTo("ESTABLISHED,RELATED");
    Element dhcpOut = only(rules.get(1), "udp");
    assertThat(dhcpOut.getAttribute("srcportstart") + ">" + dhcpOut.getAttribute("dstportstart")).isEqualTo("68>67");
    Element dhcpIn = only(rules.get(2), "udp");
    assertThat(dhcpIn.getAttribute("srcportstart") + ">" + dhcpIn.getAttribute("dstportstart")).isEqualTo("67>68");
    Element drop = rules.get(4);
    assertThat(only(drop, "all").getAttributes().getLength()).as("drops every remaining packet").isZero();
  }

  @Test
  void ingressMatchesTheSourceAndEgressTheDestinationOfNewFlows() {
    List<Element> rules = rules(filter(
        new FirewallRule("ingress", "tcp", 8000, 8080, "192.168.10.0/24"),
        new FirewallRule("egress", "udp", 53, 53, "10.0.0.2/32")));

    Element in = only(rules.get(3), "tcp");
    assertThat(rules.get(3).getAttribute("direction")).isEqualTo("in");
    assertThat(in.getAttribute("state")).isEqualTo("NEW");
    assertThat(in.getAttribute("srcipaddr")).isEqualTo("192.168.10.0");
    assertThat(in.getAttribute("srcipmask")).isEqualTo("24");
    assertThat(in.getAttribute("dstportstart")).isEqualTo("8000");
    assertThat(in.getAttribute("dstportend")).isEqualTo("8080");
    assertThat(in.hasAttribute("dstipaddr")).isFalse();

    Element out = only(rules.get(4), "udp");
    assertThat(rules.get(4).getAttribute("direction")).isEqualTo("out");
    assertThat(out.getAttribute("dstipaddr")).isEqualTo("10.0.0.2");
    assertThat(out.getAttribute("dstipmask")).isEqualTo("32");
    assertThat(out.getAttribute("dstportstart")).isEqualTo("53");
    assertThat(out.hasAttribute("srcipaddr")).isFalse();
  }

  @Test
  void portlessRulesMatchEveryPortAndIcmpCarriesTypeAndCode() {
    List<Element> rules = rules(filter(
        new FirewallRule("ingress", "tcp", -1, -1, "0.0.0.0/0"),
        new FirewallRule("ingress", "icmp", 3, 4, "0.0.0.0/0"),
        new FirewallRule("ingress", "icmp", -1, -1, "0.0.0.0/0"),
        new FirewallRule("ingress", "ALL", 1, 2, "0.0.0.0/0")));

    Element anyPort = only(rules.get(3), "tcp");
    assertThat(anyPort.hasAttribute("dstportstart")).isFalse();
    Element unreachable = only(rules.get(4), "icmp");
    assertThat(unreachable.getAttribute("type")).isEqualTo("3");
    assertThat(unreachable.getAttribute("code")).isEqualTo("4");
    Element anyIcmp = only(rules.get(5), "icmp");
    assertThat(anyIcmp.hasAttribute("type")).isFalse();
    assertThat(anyIcmp.hasAttribute("code")).isFalse();
    Element all = only(rules.get(6), "all");
    assertThat(all.hasAttribute("dstportstart")).as("protocol names are case-blind; 'all' has no ports").isFalse();
  }

  @Test
  void rulesTheHostCannotEnforceAreRefusedWithTheReason() {
    assertThatThrownBy(() -> filter(new FirewallRule("sideways", "tcp", 1, 1, "0.0.0.0/0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sideways");
    assertThatThrownBy(() -> filter(new FirewallRule("ingress", null, 1, 1, "0.0.0.0/0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
    assertThatThrownBy(() -> filter(new FirewallRule("ingress", "tcp", 1, 70000, "0.0.0.0/0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    assertThatThrownBy(() -> filter(new FirewallRule("ingress", "tcp", 1, 2, "10.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> filter(new FirewallRule("ingress", "tcp", 1, 2, "300.0.0.0/8")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4");
  }

  @Test
  void theNetworkIsANatBridgeWhoseDhcpCoversTheGuestsAndReadsTheHostsDirectory() {
    Document xml = TestDriver.parse(NetworkXml.render(
        new GuestNetworkSettings("canopy", "canopy0", "10.211.0.0/23", Path.of("/var/lib/libvirt/dnsmasq/canopy.hostsdir"))));

    assertThat(at(xml, "name").getTextContent()).isEqualTo("canopy");
    assertThat(at(xml, "forward").getAttribute("mode")).isEqualTo("nat");
    Element bridge = at(xml, "bridge");
    assertThat(bridge.getAttribute("name")).isEqualTo("canopy0");
    assertThat(bridge.getAttribute("stp")).isEqualTo("off");
    Element ip = at(xml, "ip");
    assertThat(ip.getAttribute("address")).as("the host is the subnet's first address").isEqualTo("10.211.0.1");
    assertThat(ip.getAttribute("netmask")).isEqualTo("255.255.254.0");
    Element range = at(xml, "ip", "dhcp", "range");
    assertThat(range.getAttribute("start")).isEqualTo("10.211.0.2");
    assertThat(range.getAttribute("end")).as("all but the broadcast address").isEqualTo("10.211.1.254");
    var options = xml.getElementsByTagNameNS(NetworkXml.DNSMASQ_NS, "option");
    assertThat(options.getLength()).isEqualTo(1);
    assertThat(((Element) options.item(0)).getAttribute("value"))
        .isEqualTo("dhcp-hostsdir=/var/lib/libvirt/dnsmasq/canopy.hostsdir");
  }

  @Test
  void subnetsAreReadStrictly() {
    Subnet s = Subnet.parse("172.16.4.0/22");
    assertThat(Subnet.format(s.firstGuest())).isEqualTo("172.16.4.2");
    assertThat(Subnet.format(s.lastGuest())).isEqualTo("172.16.7.254");
    assertThat(s.contains(Subnet.address("172.16.7.255"))).isTrue();
    assertThat(s.contains(Subnet.address("172.16.8.0"))).isFalse();
    for (String bad : new String[] {"10.0.0.0/33", "10.0.0/8", "10.0.0.0/x", "10.0.0.01a/8", "10.0.0.1/24", "10..0.0/8"}) {
      assertThatThrownBy(() -> Subnet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
