package dev.canopy.storage.kv.causality;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a replica (or a client's context) has seen of a key: for each actor, the highest counter
 * seen, standing for that actor's every event on the key up to it. Immutable.
 */
public final class VersionVector {

  public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

  private final SortedMap<Long, Long> counters;

  private VersionVector(SortedMap<Long, Long> counters) {
    this.counters = Collections.unmodifiableSortedMap(counters);
  }

  static VersionVector of(Map<Long, Long> counters) {
    return new VersionVector(new TreeMap<>(counters));
  }

  public long get(long actor) {
    return counters.getOrDefault(actor, 0L);
  }

  public boolean covers(Dot dot) {
    return get(dot.actor()) >= dot.counter();
  }

  public VersionVector with(Dot dot) {
    if (covers(dot)) {
      return this;
    }
    TreeMap<Long, Long> next = new TreeMap<>(counters);
    next.put(dot.actor(), dot.counter());
    return new VersionVector(next);
  }

  /** The pointwise maximum: everything either has seen. */
  public VersionVector merge(VersionVector other) {
    TreeMap<Long, Long> next = new TreeMap<>(counters);
    other.counters.forEach((actor, counter) -> next.merge(actor, counter, Math::max));
    return new VersionVector(next);
  }

  /** Whether this has seen everything {@code other} has (equal vectors descend each other). */
  public boolean descends(VersionVector other) {
    for (Map.Entry<Long, Long> e : other.counters.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  public Map<Long, Long> entries() {
    return counters;
  }

  public int size() {
    return counters.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector v && v.counters.equals(counters);
  }

  @Override
  public int hashCode() {
    return counters.hashCode();
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
