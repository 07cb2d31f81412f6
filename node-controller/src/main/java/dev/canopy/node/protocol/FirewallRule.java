package dev.canopy.node.protocol;

/**
 * One allowed flow in an instance's firewall, already resolved by the controller from its
 * security groups (a rule naming another group arrives as one rule per member address).
 *
 * @param direction "ingress" (to the instance) or "egress" (from it)
 * @param protocol "tcp", "udp", "icmp" or "all"
 * @param fromPort first port (ICMP: the type, -1 for any)
 * @param toPort last port (ICMP: the code, -1 for any)
 * @param cidr the peer's IPv4 CIDR, e.g. "0.0.0.0/0"
 */
public record FirewallRule(String direction, String protocol, int fromPort, int toPort, String cidr) {}
