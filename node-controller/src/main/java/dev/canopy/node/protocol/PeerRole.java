package dev.canopy.node.protocol;

import dev.canopy.core.tls.PeerName;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles a Canopy certificate can name, as the SAN URI {@code canopy:<role>:<id>}. Each port
 * accepts only the roles that belong there: the agent port takes {@link #NODE} clients, and
 * agents accept only a {@link #CONTROLLER} server. The SAN's format and its check are core's
 * ({@link PeerName}, {@code dev.canopy.core.tls.PeerCheck}), where a role is its wire name.
 */
public enum PeerRole {
  NODE,
  CONTROLLER,
  STORAGE;

  /** The SAN URI naming this role and id, for instance {@code canopy:node:nd-0123abcd}. */
  public String sanUri(String id) {
    return new PeerName(wireName(), id).sanUri();
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

  /** The wire names of {@code roles}: how core's peer check takes them. */
  public static Set<String> wireNames(Set<PeerRole> roles) {
    return roles.stream().map(PeerRole::wireName).collect(Collectors.toUnmodifiableSet());
  }
}
