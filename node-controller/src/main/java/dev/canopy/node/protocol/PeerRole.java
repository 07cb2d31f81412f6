package dev.canopy.node.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles a Canopy certificate can name, as the SAN URI {@code canopy:<role>:<id>}. Each port
 * accepts only the roles that belong there: the agent port takes {@link #NODE} clients, and
 * agents accept only a {@link #CONTROLLER} server.
 */
public enum PeerRole {
  NODE,
  CONTROLLER,
  STORAGE;

  public static final String URI_SCHEME = "canopy";

  /** The SAN URI naming this role and id, for instance {@code canopy:node:nd-0123abcd}. */
  public String sanUri(String id) {
    return URI_SCHEME + ":" + wireName() + ":" + id;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PeerRole> fromWireName(String name) {
    for (PeerRole role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
