package dev.canopy.deploy.haproxy;

import java.net.URI;
import java.util.Objects;

/**
 * One server behind a frontend: where HAProxy sends the traffic ({@code host:port}) and where it
 * asks {@code GET /health} (the same process's management port).
 */
public record Backend(String name, String host, int port, String checkHost, int checkPort) {

  public Backend {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      // The name lands in the configuration unquoted.
      throw new IllegalArgumentException("a server name may hold letters, digits, '_', '.' and '-' only: " + name);
    }
    requirePort(port, name);
    requirePort(checkPort, name);
  }

  /** A server from its service URL and its management URL, as {@code endpoints.json} names them. */
  public static Backend of(String name, String serviceUrl, String managementUrl) {
    URI service = URI.create(serviceUrl);
    URI management = URI.create(managementUrl);
    return new Backend(name, service.getHost(), portOf(service), management.getHost(), portOf(management));
  }

  String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static int portOf(URI url) {
    if (url.getHost() == null) {
      throw new IllegalArgumentException("not a URL with a host: " + url);
    }
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static void requirePort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("server " + name + ": port out of range: " + port);
    }
  }
}
