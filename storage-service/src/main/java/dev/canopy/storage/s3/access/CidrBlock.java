package dev.canopy.storage.s3.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block of a policy's IpAddress condition ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address). */
record CidrBlock(byte[] network, int prefixBits) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** The block a condition value names; empty when it is no address literal (a host name is never looked up). */
  static Optional<CidrBlock> parse(String text) {
    String value = text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    Optional<InetAddress> parsed = literal(address);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = parsed.get().getAddress();
    int bits = bytes.length * 8;
    if (slash >= 0) {
      String length = value.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        return Optional.empty();
      }
      bits = Integer.parseInt(length);
    }
    return Optional.of(new CidrBlock(bytes, bits));
  }

  /** An address literal, parsed without any name lookup. */
  static Optional<InetAddress> literal(String address) {
    if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefixBits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
