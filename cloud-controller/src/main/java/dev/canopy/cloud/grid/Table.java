package dev.canopy.cloud.grid;

import java.util.List;
import java.util.Optional;
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

  List<T> values(Predicate<T> filter);
}
