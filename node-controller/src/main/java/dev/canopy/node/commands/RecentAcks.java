package dev.canopy.node.commands;

import dev.canopy.node.protocol.Ack;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Acks of the most recent command ids, in a bounded LRU. An entry is added before the command
 * runs, so a duplicate arriving while the first is still running waits for the same Ack instead
 * of acting again. The bound must exceed the commands in flight plus the controller's retry
 * window; an evicted id would run again (handlers are idempotent by state, so that is a second
 * line of defence, not the first).
 */
final class RecentAcks {

  private final Map<String, CompletableFuture<Ack>> byId;

  RecentAcks(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.byId = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Ack>> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The earlier answer for this id, or null after registering {@code mine} as the answer to come. */
  synchronized CompletableFuture<Ack> claim(String commandId, CompletableFuture<Ack> mine) {
    CompletableFuture<Ack> earlier = byId.get(commandId);
    if (earlier != null) {
      return earlier;
    }
    byId.put(commandId, mine);
    return null;
  }
}
