package dev.canopy.storage.kv.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers this node believes down: one that failed to answer is down until it answers
 * again (a ping from {@code tick}, or any later call). The coordinators route around down
 * primaries to fallbacks (sloppy quorum); a wrong belief costs only a hint.
 */
final class Liveness {

  private final String self;
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  Liveness(String self) {
    this.self = self;
  }

  boolean up(String node) {
    return node.equals(self) || !down.contains(node);
  }

  void answered(String node) {
    down.remove(node);
  }

  void failed(String node) {
    if (!node.equals(self)) {
      down.add(node);
    }
  }

  /** Sorted, so that what a node does with it is the same on every run of a seed. */
  java.util.List<String> down() {
    return new java.util.TreeSet<>(down).stream().toList();
  }
}
