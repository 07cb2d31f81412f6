package dev.canopy.cloud.gridtunnel;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/** Whether an address belongs to this host: a loopback address, or one of its interfaces'. */
final class LocalAddresses {

  private LocalAddresses() {}

  /**
   * @throws IllegalArgumentException when {@code host} does not resolve: a controller address that
   *     names nothing is a configuration error, not a remote host
   */
  static boolean isLocal(String host) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("controller address " + host + " does not resolve", e);
    }
    // All of 127/8 is this host's on Linux, though the interface lists 127.0.0.1 alone.
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot list this host's network interfaces", e);
    }
  }
}
