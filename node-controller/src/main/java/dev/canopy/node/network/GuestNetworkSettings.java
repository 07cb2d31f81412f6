package dev.canopy.node.network;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The libvirt network a node agent creates and owns for its instances: a NAT bridge whose dnsmasq
 * hands out the addresses the agent assigns.
 *
 * @param name the libvirt network's name
 * @param bridge the Linux bridge's name (at most 15 characters, the kernel's limit)
 * @param subnet the instances' IPv4 subnet, {@code a.b.c.d/len} with len in 16..28; the host takes
 *     the first address, instances the rest but the last (broadcast)
 * @param hostsDir dnsmasq's {@code dhcp-hostsdir}: one file per instance mapping its MAC to its
 *     address. dnsmasq re-reads it on change, so an assignment needs no libvirt call; it must be
 *     readable by the user dnsmasq runs as. Its sibling {@code <bridge>.status} is where libvirt's
 *     lease helper lists the leases (libvirt keeps both under /var/lib/libvirt/dnsmasq)
 */
public record GuestNetworkSettings(String name, String bridge, String subnet, Path hostsDir) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

  public GuestNetworkSettings {
    Objects.requireNonNull(hostsDir, "hostsDir");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("network name must be 1-64 letters, digits, '.', '_' or '-': " + name);
    }
    if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
      throw new IllegalArgumentException("bridge name must be 1-15 letters, digits, '.', '_' or '-': " + bridge);
    }
    Subnet parsed = Subnet.parse(subnet);
    if (parsed.prefixLength() < 16 || parsed.prefixLength() > 28) {
      throw new IllegalArgumentException("the instance subnet's prefix must be /16../28: " + subnet);
    }
  }

  /** Network {@code canopy} on bridge {@code canopy0}, 10.211.0.0/24, hosts under libvirt's dnsmasq directory. */
  public static GuestNetworkSettings defaults() {
    return new GuestNetworkSettings("canopy", "canopy0", "10.211.0.0/24",
        Path.of("/var/lib/libvirt/dnsmasq/canopy.hostsdir"));
  }

  public Subnet parsedSubnet() {
    return Subnet.parse(subnet);
  }
}
