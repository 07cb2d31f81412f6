package dev.canopy.node.protocol;

import java.util.List;

/**
 * An instance's whole firewall: what its security groups allow, and whether the host drops
 * traffic the instance sends with a source address (or MAC) that is not its own.
 *
 * @param rules the allowed flows; everything else inbound is dropped (replies to allowed flows pass)
 * @param sourceDestCheck true (EC2's default): no MAC or IP spoofing
 */
public record Firewall(List<FirewallRule> rules, boolean sourceDestCheck) {
  public Firewall {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
