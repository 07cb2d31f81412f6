package dev.canopy.cloud.eventsapi;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts open event streams, per session and on this controller, and refuses one over either bound.
 * Thread-safe.
 */
final class StreamSlots {

  private final int perSessionMax;
  private final int perControllerMax;
  private final Map<String, Integer> bySession = new HashMap<>();
  private int open;

  StreamSlots(int perSessionMax, int perControllerMax) {
    this.perSessionMax = perSessionMax;
    this.perControllerMax = perControllerMax;
  }

  /** Takes a slot for the session; false (nothing taken) when it or the controller is full. */
  synchronized boolean take(String sessionId) {
    int ofSession = bySession.getOrDefault(sessionId, 0);
    if (open >= perControllerMax || ofSession >= perSessionMax) {
      return false;
    }
    bySession.put(sessionId, ofSession + 1);
    open++;
    return true;
  }

  synchronized void give(String sessionId) {
    Integer ofSession = bySession.get(sessionId);
    if (ofSession == null) {
      return;
    }
    if (ofSession <= 1) {
      bySession.remove(sessionId);
    } else {
      bySession.put(sessionId, ofSession - 1);
    }
    open--;
  }

  synchronized int open() {
    return open;
  }
}
