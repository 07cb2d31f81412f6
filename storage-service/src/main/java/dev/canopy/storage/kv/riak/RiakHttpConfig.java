package dev.canopy.storage.kv.riak;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.BiPredicate;
import javax.net.ssl.KeyManagerFactory;

/**
 * How the Riak HTTP interface listens and whom it admits.
 *
 * <p>On a loopback address nothing is asked of a client, as on a default Riak node: only
 * processes of this machine reach it. Anywhere else a client must present HTTP basic
 * credentials (the cloud's admin access key id and secret key), and because those would
 * otherwise cross the network in clear, such a listener must serve TLS: a non-loopback address
 * without TLS or without a credentials check is refused here, before anything binds.
 *
 * @param host the address to bind ("127.0.0.1", a private address, "0.0.0.0")
 * @param port 0 for an ephemeral port ({@link RiakHttpServer#port()} tells the bound one)
 * @param tlsKeys the certificate the listener presents; null for plain HTTP (loopback only)
 * @param credentials checks an access key id and secret; null admits everyone (loopback only).
 *     When set it is asked on every request, on loopback too.
 */
public record RiakHttpConfig(
    String host, int port, KeyManagerFactory tlsKeys, BiPredicate<String, String> credentials) {

  /** Riak's own HTTP port, so a client's default configuration finds us. */
  public static final int DEFAULT_PORT = 8098;

  public RiakHttpConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    if (!isLoopback(host)) {
      if (tlsKeys == null) {
        throw new IllegalArgumentException("the Riak interface on " + host
            + " would take credentials over plain HTTP: bind it to a loopback address or give it TLS");
      }
      if (credentials == null) {
        throw new IllegalArgumentException("the Riak interface on " + host
            + " needs a credentials check: only loopback binds admit clients without one");
      }
    }
  }

  /** A listener for this machine's processes only: no TLS, no credentials, like Riak's default. */
  public static RiakHttpConfig loopback(String host, int port) {
    return new RiakHttpConfig(host, port, null, null);
  }

  /** A listener reachable from the network: TLS, and HTTP basic credentials checked by {@code credentials}. */
  public static RiakHttpConfig secured(
      String host, int port, KeyManagerFactory tlsKeys, BiPredicate<String, String> credentials) {
    return new RiakHttpConfig(host, port, tlsKeys, credentials);
  }

  /** Whether {@code host} names this machine only; a wildcard ("0.0.0.0", "::") does not. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
  }
}
