package dev.canopy.cloud.latency;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The client network a request came from: its IPv4 /24 or IPv6 /64, as WhyHigh groups clients. */
public final class ClientNetworks {

  private ClientNetworks() {}

  /** {@code 10.1.2.0/24}, {@code 2001:db8:0:1::/64}; {@code unknown} for anything that is not an address literal. */
  public static String of(String address) {
    if (address == null || address.isEmpty() || address.length() > 64 || !address.matches("[0-9A-Fa-f:.%\\[\\]a-zA-Z]+")) {
      return "unknown";
    }
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    // Only literals: a name would be looked up, and a request must never wait on DNS.
    if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
      return "unknown";
    }
    try {
      byte[] b = InetAddress.getByName(literal).getAddress();
      if (b.length == 4) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return prefix + ":/64";
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
