package dev.canopy.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibvirtXmlDocumentsTest {

  @Test
  void theNetworkIsNatWithDhcpOverTheGuestRangeAndDnsmasqWatchesTheHostsDirectory() {
    String xml = NetworkXml.render(new GuestNetworkSettings("canopy", "canopy0", "10.211.0.0/24", Path.of("/var/lib/x/hosts")));
    assertThat(xml)
        .contains("<name>canopy</name>")
        .contains("<forward mode=\"nat\"/>")
        .contains("name=\"canopy0\"")
        .contains("address=\"10.211.0.1\"", "netmask=\"255.255.255.0\"")
        .contains("start=\"10.211.0.2\"", "end=\"10.211.0.254\"")
        .contains("xmlns:dnsmasq=\"http://libvirt.org/schemas/network/dnsmasq/1.0\"")
        .contains("<dnsmasq:option value=\"dhcp-hostsdir=/var/lib/x/hosts\"/>");
  }

  @Test
  void securityGroupRulesBecomeStatefulAcceptsBeforeADropAll() {
    String xml = FilterXml.render("i-00000001", new Firewall(List.of(
        new FirewallRule("ingress", "tcp", 80, 80, "0.0.0.0/0"),
        new FirewallRule("ingress", "icmp", -1, -1, "10.0.0.0/8"),
        new FirewallRule("egress", "all", -1, -1, "0.0.0.0/0")), true));
    assertThat(xml)
        .contains("name=\"canopy-i-00000001\"")
        .contains("<filterref filter=\"clean-traffic\"/>")
        .contains("<all state=\"ESTABLISHED,RELATED\"/>")
        .containsPattern("<tcp dstportend=\"80\" dstportstart=\"80\" srcipaddr=\"0.0.0.0\" srcipmask=\"0\" state=\"NEW\"/>")
        .containsPattern("<icmp srcipaddr=\"10.0.0.0\" srcipmask=\"8\" state=\"NEW\"/>")
        .containsPattern("direction=\"out\" priority=\"300\">\\s*<all dstipaddr=\"0.0.0.0\" dstipmask=\"0\" state=\"NEW\"/>");
    assertThat(xml.indexOf("action=\"drop\"")).isGreaterThan(xml.lastIndexOf("action=\"accept\""));
  }

  @Test
  void withoutSourceDestCheckThereIsNoAntiSpoofingAndBadRulesAreRefused() {
    assertThat(FilterXml.render("i-00000001", new Firewall(List.of(), false))).doesNotContain("clean-traffic");
    assertThatThrownBy(() -> FilterXml.render("i-00000001", new Firewall(List.of(new FirewallRule("ingress", "gre", 0, 0, "0.0.0.0/0")), true)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilterXml.render("i-00000001", new Firewall(List.of(new FirewallRule("ingress", "tcp", 0, 0, "10.0.0.1/8")), true)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsRefuseNamesLibvirtOrTheKernelWouldReject() {
    assertThatThrownBy(() -> new GuestNetworkSettings("canopy", "a-bridge-name-too-long", "10.0.0.0/24", Path.of("/x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GuestNetworkSettings("canopy", "br0", "10.0.0.0/30", Path.of("/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
