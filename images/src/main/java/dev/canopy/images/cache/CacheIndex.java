package dev.canopy.images.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cache's bookkeeping, in memory and pure: each object's size and when it was last used, and
 * the bytes downloads in progress have reserved. It picks eviction victims; the caller deletes
 * their files. Not thread-safe: {@link ImageCache} guards it.
 *
 * <p>Invariant kept by {@link #makeRoom}: {@code usedBytes + reservedBytes <= maxBytes} after
 * every successful reservation, so the disk never holds more than the bound, downloads included.
 */
final class CacheIndex {

  record Entry(long sizeBytes, long lastUse) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private long usedBytes;
  private long reservedBytes;
  /** A logical clock: recency needs an order, not a time. */
  private long uses;

  /** Adds or replaces the object as the most recently used one. */
  void add(String digest, long sizeBytes) {
    remove(digest);
    entries.put(digest, new Entry(sizeBytes, ++uses));
    usedBytes += sizeBytes;
  }

  Optional<Entry> get(String digest) {
    return Optional.ofNullable(entries.get(digest));
  }

  void touch(String digest) {
    Entry e = entries.get(digest);
    if (e != null) {
      entries.put(digest, new Entry(e.sizeBytes(), ++uses));
    }
  }

  void remove(String digest) {
    Entry old = entries.remove(digest);
    if (old != null) {
      usedBytes -= old.sizeBytes();
    }
  }

  long usedBytes() {
    return usedBytes;
  }

  int size() {
    return entries.size();
  }

  long reservedBytes() {
    return reservedBytes;
  }

  /** The bytes these objects take, those not cached counting nothing. */
  long bytesOf(Set<String> digests) {
    long sum = 0;
    for (String d : digests) {
      Entry e = entries.get(d);
      if (e != null) {
        sum += e.sizeBytes();
      }
    }
    return sum;
  }

  void reserve(long bytes) {
    reservedBytes += bytes;
  }

  void unreserve(long bytes) {
    reservedBytes -= bytes;
    if (reservedBytes < 0) {
      throw new IllegalStateException("released more bytes than were reserved");
    }
  }

  /**
   * Picks least-recently-used objects not kept by {@code keep} until {@code incomingBytes} more
   * fit under {@code maxBytes}, removes them from the index and returns them (oldest first). If
   * even evicting every candidate would not make room, nothing is removed and empty is returned.
   */
  Optional<List<String>> makeRoom(long incomingBytes, long maxBytes, Predicate<String> keep) {
    long excess = usedBytes + reservedBytes + incomingBytes - maxBytes;
    if (excess <= 0) {
      return Optional.of(List.of());
    }
    List<Map.Entry<String, Entry>> candidates = new ArrayList<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (!keep.test(e.getKey())) {
        candidates.add(e);
      }
    }
    candidates.sort(Comparator.comparingLong(e -> e.getValue().lastUse()));
    List<String> victims = new ArrayList<>();
    long freed = 0;
    for (Map.Entry<String, Entry> e : candidates) {
      if (freed >= excess) {
        break;
      }
      victims.add(e.getKey());
      freed += e.getValue().sizeBytes();
    }
    if (freed < excess) {
      return Optional.empty();
    }
    victims.forEach(this::remove);
    return Optional.of(victims);
  }
}
