package dev.canopy.core.tls;

/**
 * Who a Canopy certificate names: a role ({@code node}, {@code controller}, {@code storage}) and
 * an id, written in the certificate as the SAN URI {@code canopy:<role>:<id>}.
 */
public record PeerName(String role, String id) {

  public static final String SAN_SCHEME = "canopy";

  public PeerName {
    if (role.isEmpty() || role.contains(":") || id.isEmpty()) {
      throw new IllegalArgumentException("a peer name needs a role without ':' and an id, not '" + role + "' and '" + id + "'");
    }
  }

  /** The SAN URI, for instance {@code canopy:node:nd-0123abcd}. */
  public String sanUri() {
    return SAN_SCHEME + ":" + role + ":" + id;
  }

  @Override
  public String toString() {
    return sanUri();
  }
}
