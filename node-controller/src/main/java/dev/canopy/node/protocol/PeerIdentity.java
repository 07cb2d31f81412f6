package dev.canopy.node.protocol;

/** Who a verified certificate names: role and id from its {@code canopy:<role>:<id>} SAN URI. */
public record PeerIdentity(PeerRole role, String id) {

  @Override
  public String toString() {
    return role.sanUri(id);
  }
}
