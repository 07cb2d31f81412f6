package dev.canopy.cloud.grid;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/** A table in memory for domain unit tests; can be told to fail writes like a full disk. */
public final class InMemoryTable<T> implements Table<T> {

  private final ConcurrentSkipListMap<String, T> rows = new ConcurrentSkipListMap<>();
  private volatile boolean failWrites;

  public void failWrites(boolean fail) {
    this.failWrites = fail;
  }

  @Override
  public Optional<T> get(String key) {
    return Optional.ofNullable(rows.get(key));
  }

  @Override
  public void put(String key, T value) {
    checkWritable();
    rows.put(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, T value) {
    checkWritable();
    return rows.putIfAbsent(key, value) == null;
  }

  @Override
  public boolean replace(String key, T expected, T value) {
    checkWritable();
    return rows.replace(key, expected, value);
  }

  @Override
  public void remove(String key) {
    rows.remove(key);
  }

  @Override
  public boolean remove(String key, T expected) {
    return rows.remove(key, expected);
  }

  @Override
  public List<T> values(Predicate<T> filter) {
    return rows.values().stream().filter(filter).toList();
  }

  public int size() {
    return rows.size();
  }

  private void checkWritable() {
    if (failWrites) {
      throw new IllegalStateException("simulated durable write failure");
    }
  }
}
