package dev.canopy.node.commands;

/** This agent's node id, as named in its certificate and written into each domain's metadata. */
public record NodeIdentity(String nodeId) {
  public NodeIdentity {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("a node id is required");
    }
  }
}
