package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.images.ObjectDigests;
import dev.canopy.storage.backend.ObjectDigest;
import java.util.List;
import java.util.Optional;

/**
 * Objects' digests from whichever storage node can answer ({@link Failover}): every storage node
 * serves the same replicated objects, so RegisterImage and launches go on while one is down.
 */
public final class FailoverObjectDigests implements ObjectDigests {

  private final Failover<RemoteObjectDigests> nodes;

  public FailoverObjectDigests(List<RemoteObjectDigests> nodes) {
    this.nodes = new Failover<>(nodes, nodes.stream().map(RemoteObjectDigests::base).toList());
  }

  @Override
  public Optional<ObjectDigest> digest(String bucket, String key) {
    return nodes.call(node -> node.digest(bucket, key));
  }
}
