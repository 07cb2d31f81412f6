package dev.canopy.cloud.securitygroups;

import java.util.Objects;

/**
 * One rule with exactly one source or destination: an IPv4 CIDR, an IPv6 CIDR or a group of the
 * same account. This is the shape the real-guests issue turns into libvirt nwfilter rules.
 *
 * @param ruleId {@code sgr-...}; null in a rule still being requested
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}, {@code -1} (all) or a protocol number
 * @param fromPort first port (tcp/udp) or ICMP type; null when the protocol has no ports
 * @param toPort last port (tcp/udp) or ICMP code; null when the protocol has no ports
 */
public record SecurityGroupRule(
    String ruleId, String protocol, Integer fromPort, Integer toPort,
    String cidrIpv4, String cidrIpv6, String referencedGroupId, String description) {

  /** Same traffic and peer: AWS calls a second such rule a duplicate, whatever its description. */
  public boolean sameAs(SecurityGroupRule other) {
    return protocol.equals(other.protocol)
        && Objects.equals(fromPort, other.fromPort)
        && Objects.equals(toPort, other.toPort)
        && Objects.equals(cidrIpv4, other.cidrIpv4)
        && Objects.equals(cidrIpv6, other.cidrIpv6)
        && Objects.equals(referencedGroupId, other.referencedGroupId);
  }

  SecurityGroupRule withId(String id) {
    return new SecurityGroupRule(id, protocol, fromPort, toPort, cidrIpv4, cidrIpv6, referencedGroupId, description);
  }

  /** How AWS words a rule in InvalidPermission messages. */
  String describePeer() {
    String peer = cidrIpv4 != null ? cidrIpv4 : cidrIpv6 != null ? cidrIpv6 : referencedGroupId;
    return "peer: " + peer + ", " + protocol.toUpperCase(java.util.Locale.ROOT)
        + (fromPort == null ? "" : ", from port: " + fromPort + ", to port: " + toPort) + ", ALLOW";
  }
}
