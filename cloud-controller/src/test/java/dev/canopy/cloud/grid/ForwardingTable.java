package dev.canopy.cloud.grid;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A table that passes every call to {@link #delegate()}: tests override the one or two calls whose
 * failure or silence they stage (a put refused during a failover, a watch that never fires).
 */
public interface ForwardingTable<T> extends Table<T> {

  Table<T> delegate();

  @Override
  default Optional<T> get(String key) {
    return delegate().get(key);
  }

  @Override
  default void put(String key, T value) {
    delegate().put(key, value);
  }

  @Override
  default boolean putIfAbsent(String key, T value) {
    return delegate().putIfAbsent(key, value);
  }

  @Override
  default void remove(String key) {
    delegate().remove(key);
  }

  @Override
  default boolean remove(String key, T expected) {
    return delegate().remove(key, expected);
  }

  @Override
  default boolean replace(String key, T expected, T value) {
    return delegate().replace(key, expected, value);
  }

  @Override
  default List<T> values(Predicate<T> filter) {
    return delegate().values(filter);
  }

  @Override
  default Optional<Set<String>> keysWhere(List<IndexCondition> conditions) {
    return delegate().keysWhere(conditions);
  }

  @Override
  default Optional<Map<String, T>> valuesInRange(IndexRange range) {
    return delegate().valuesInRange(range);
  }

  @Override
  default Map<String, T> getAll(Collection<String> keys) {
    return delegate().getAll(keys);
  }

  @Override
  default Map<String, Boolean> replaceAll(Map<String, Replacement<T>> changes) {
    return delegate().replaceAll(changes);
  }

  @Override
  default AutoCloseable watch(BiConsumer<String, T> onChange) {
    return delegate().watch(onChange);
  }
}
