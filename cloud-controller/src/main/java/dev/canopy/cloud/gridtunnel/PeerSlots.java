package dev.canopy.cloud.gridtunnel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open relays per peer controller, at most {@code max} each. Keys are configured controller ids
 * only, so the map is as small as the cloud. Safe from any thread.
 */
final class PeerSlots {

  private final int max;
  private final Map<Integer, AtomicInteger> open = new ConcurrentHashMap<>();

  PeerSlots(int max) {
    this.max = max;
  }

  /** Takes a slot for {@code peerId}; false, taking nothing, when the peer has all of its slots. */
  boolean tryAcquire(int peerId) {
    AtomicInteger count = open.computeIfAbsent(peerId, id -> new AtomicInteger());
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  void release(int peerId) {
    AtomicInteger count = open.get(peerId);
    if (count == null || count.decrementAndGet() < 0) {
      throw new IllegalStateException("released a slot of controller " + peerId + " that was not taken");
    }
  }

  int open(int peerId) {
    AtomicInteger count = open.get(peerId);
    return count == null ? 0 : count.get();
  }
}
