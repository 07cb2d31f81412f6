package dev.canopy.core.cache;

import dev.canopy.core.time.Time;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A bounded read-through cache of lookups that may find nothing: a found value is kept for {@code
 * foundTtl}, a miss only for {@code missTtl} (something just created must show soon), and beyond
 * {@code entriesMax} the least recently used entry goes. Loads run outside the lock, so a slow
 * controller never blocks hits; a load that overlapped an invalidation is returned to its caller
 * but not kept, so an answer from before a change cannot outlive the change in the cache.
 */
public final class ExpiringCache<V> {

  private record Entry<V>(Optional<V> value, long expiresNanos) {}

  private final Time time;
  private final int entriesMax;
  private final long foundTtlNanos;
  private final long missTtlNanos;
  private final LinkedHashMap<String, Entry<V>> entries;
  /** Moves on every invalidation; a load keeps its answer only if it did not move meanwhile. */
  private long generation;

  public ExpiringCache(Time time, int entriesMax, Duration foundTtl, Duration missTtl) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("entriesMax must be positive: " + entriesMax);
    }
    this.time = time;
    this.entriesMax = entriesMax;
    this.foundTtlNanos = foundTtl.toNanos();
    this.missTtlNanos = missTtl.toNanos();
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
        return size() > ExpiringCache.this.entriesMax;
      }
    };
  }

  /** The cached answer for {@code key} while fresh; otherwise what {@code load} says, then cached. */
  public Optional<V> get(String key, Function<String, Optional<V>> load) {
    long seen;
    synchronized (this) {
      Entry<V> entry = fresh(key, time.nanoTime());
      if (entry != null) {
        return entry.value();
      }
      seen = generation;
    }
    Optional<V> loaded = load.apply(key);
    synchronized (this) {
      keep(key, loaded, seen, time.nanoTime());
    }
    return loaded;
  }

  /**
   * The answers for {@code keys}: the fresh cached ones, and the rest from one call of {@code
   * loadMissing}, which gets the keys not cached and returns those it found (the others count as
   * misses); then cached like {@link #get}'s. Found answers only, by key.
   */
  public Map<String, V> getAll(Collection<String> keys, Function<Set<String>, Map<String, V>> loadMissing) {
    Map<String, V> found = new HashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    long seen;
    synchronized (this) {
      long now = time.nanoTime();
      for (String key : keys) {
        Entry<V> entry = fresh(key, now);
        if (entry != null) {
          entry.value().ifPresent(value -> found.put(key, value));
        } else {
          missing.add(key);
        }
      }
      seen = generation;
    }
    if (missing.isEmpty()) {
      return found;
    }
    Map<String, V> loaded = loadMissing.apply(Set.copyOf(missing));
    synchronized (this) {
      long now = time.nanoTime();
      for (String key : missing) {
        V value = loaded.get(key);
        if (value != null) {
          found.put(key, value);
        }
        keep(key, Optional.ofNullable(value), seen, now);
      }
    }
    return found;
  }

  /** The entry of {@code key} while it has not expired; callers hold the lock. */
  private Entry<V> fresh(String key, long now) {
    Entry<V> entry = entries.get(key);
    return entry != null && entry.expiresNanos() - now > 0 ? entry : null;
  }

  /** Caches a loaded answer for its TTL, unless an invalidation came since {@code seen}; callers hold the lock. */
  private void keep(String key, Optional<V> loaded, long seen, long now) {
    long ttl = loaded.isPresent() ? foundTtlNanos : missTtlNanos;
    if (generation == seen && ttl > 0) {
      entries.put(key, new Entry<>(loaded, now + ttl));
    }
  }

  /** Forgets {@code key}, including an answer being loaded right now. */
  public synchronized void invalidate(String key) {
    entries.remove(key);
    generation++;
  }

  public synchronized void clear() {
    entries.clear();
    generation++;
  }

  public synchronized int size() {
    return entries.size();
  }
}
