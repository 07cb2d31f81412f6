package dev.canopy.cloud.grid;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A keyed collection of records, as the domain sees grid state: no Hazelcast types, so domain
 * services run against an in-memory table in unit tests and against the grid in the cloud.
 */
public interface Table<T> {

  Optional<T> get(String key);

  /** Stores durably; throws when the durable write fails (the table is then unchanged). */
  void put(String key, T value);

  /** Stores unless the key exists; true when stored. Atomic. */
  boolean putIfAbsent(String key, T value);

  void remove(String key);

  /**
   * Removes every key of {@code keys}; throws when a removal failed (those that did not fail are
   * gone). A durable table removes them concurrently, each with its own store delete, where
   * removing them one after another waited for each delete in turn. This default removes them one by one.
   */
  default void removeAll(Collection<String> keys) {
    keys.forEach(this::remove);
  }

  /**
   * Removes the key only while its value is still {@code expected}; false otherwise. A default
   * that refuses, so a table that cannot do it atomically says so rather than racing.
   */
  default boolean remove(String key, T expected) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no atomic conditional remove");
  }

  /**
   * Compare-and-set: stores {@code value} only when the key currently holds a record equal to
   * {@code expected}; true when stored. Atomic. Counters that must never overshoot (node
   * capacity) and state machines that must not lose a concurrent transition are updated with
   * it in a bounded retry loop ({@link Tables#update}). A default that refuses, so a table that
   * cannot do it atomically says so instead of racing.
   */
  default boolean replace(String key, T expected, T value) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no atomic replace");
  }

  List<T> values(Predicate<T> filter);

  /**
   * The keys of the records meeting every condition, found through the indexes the table keeps
   * ({@link GridIndexes}) without reading the records; empty when the table has no index on one of
   * the attributes, and the caller then scans ({@link #values}). The answer is a snapshot: a record
   * may change between it and a read of the key, so callers check the records they then read.
   */
  default java.util.Optional<java.util.Set<String>> keysWhere(List<IndexCondition> conditions) {
    return java.util.Optional.empty();
  }

  /**
   * The records whose sorted attribute lies in {@code range}, by key, in no particular order, found
   * through the table's sorted index ({@link GridIndexes}) in one query that also carries the
   * records; empty when the table keeps no such index, and the caller then takes another path. A
   * snapshot, as {@link #keysWhere} is.
   */
  default java.util.Optional<Map<String, T>> valuesInRange(IndexRange range) {
    return java.util.Optional.empty();
  }

  /** The records of these keys that exist, by key: one round trip where the table can (the grid), else one read per key. */
  default Map<String, T> getAll(Collection<String> keys) {
    Map<String, T> found = new LinkedHashMap<>();
    for (String key : keys) {
      get(key).ifPresent(value -> found.put(key, value));
    }
    return found;
  }

  /** One compare-and-set of a {@link #replaceAll} batch: store {@code value} while the key holds {@code expected}. */
  record Replacement<T>(T expected, T value) {}

  /**
   * Many compare-and-sets, each atomic on its own key (not all together). Where the table can (the
   * grid), all are sent before any is waited for, so their durable writes are in flight at once and
   * the store can sync them together; this default does them one by one.
   *
   * @return per key, whether its value was stored
   */
  default Map<String, Boolean> replaceAll(Map<String, Replacement<T>> changes) {
    Map<String, Boolean> stored = new LinkedHashMap<>();
    changes.forEach((key, change) -> stored.put(key, replace(key, change.expected(), change.value())));
    return stored;
  }

  /**
   * Tells {@code onChange} about every later change of any key, by any writer: the key and its new
   * record, or null when removed. For caches that must not read the whole table per use; calls come
   * on the table's event threads, possibly late and (across keys) in any order. A default that
   * refuses, so a caller without it knows to read instead.
   *
   * @return stops the notifications
   */
  default AutoCloseable watch(BiConsumer<String, T> onChange) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be watched");
  }
}
