package dev.canopy.node.network;

/**
 * An IPv4 subnet as numbers: the host (gateway) is the first usable address, instances get the
 * rest but the broadcast address.
 */
public record Subnet(long network, int prefixLength) {

  public Subnet {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
    if ((network & ~mask(prefixLength) & 0xffffffffL) != 0) {
      throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefixLength);
    }
  }

  public static Subnet parse(String cidr) {
    if (cidr == null) {
      throw new IllegalArgumentException("a subnet is required (a.b.c.d/len)");
    }
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block (a.b.c.d/len): " + cidr);
    }
    String prefix = cidr.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 2 || !isAsciiDigits(prefix)) {
      throw new IllegalArgumentException("not a CIDR block (a.b.c.d/len): " + cidr);
    }
    int length = Integer.parseInt(prefix);
    return new Subnet(address(cidr.substring(0, slash)), length);
  }

  /** Parses a dotted-quad IPv4 address. */
  public static long address(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !isAsciiDigits(part)) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** Only 0-9: Java's isDigit and parseInt also take other scripts' digits, which no config or dnsmasq writes. */
  private static boolean isAsciiDigits(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  public static String format(long address) {
    return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
  }

  static long mask(int prefixLength) {
    return prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
  }

  public String gateway() {
    return format(network + 1);
  }

  public String netmask() {
    return format(mask(prefixLength));
  }

  /** The first address given to instances (the gateway's next). */
  public long firstGuest() {
    return network + 2;
  }

  /** The last address given to instances (the broadcast's previous). */
  public long lastGuest() {
    return network + (1L << (32 - prefixLength)) - 2;
  }

  public boolean contains(long address) {
    return (address & mask(prefixLength)) == network;
  }
}
