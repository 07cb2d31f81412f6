package dev.canopy.cloud.grid;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** A table in memory for domain unit tests; can be told to fail writes like a full disk. */
public final class InMemoryTable<T> implements Table<T> {

  private final ConcurrentSkipListMap<String, T> rows = new ConcurrentSkipListMap<>();
  private volatile boolean failWrites;
  private final List<BiConsumer<String, T>> watchers = new CopyOnWriteArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();
  private volatile boolean watchable;

  /** Makes {@link #watch} work (off by default: most domain tests expect a table read per use). */
  public InMemoryTable<T> watchable() {
    this.watchable = true;
    return this;
  }

  /** Writes that landed (put, putIfAbsent and replace that stored), like the synced writes a grid would make. */
  public int writes() {
    return writes.get();
  }

  /** Watchers hear of each write synchronously, after it lands (a grid's would hear of it a moment later). */
  @Override
  public AutoCloseable watch(BiConsumer<String, T> onChange) {
    if (!watchable) {
      return Table.super.watch(onChange);
    }
    watchers.add(onChange);
    return () -> watchers.remove(onChange);
  }

  private void changed(String key, T value) {
    writes.incrementAndGet();
    watchers.forEach(w -> w.accept(key, value));
  }

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
    changed(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, T value) {
    checkWritable();
    boolean stored = rows.putIfAbsent(key, value) == null;
    if (stored) {
      changed(key, value);
    }
    return stored;
  }

  @Override
  public boolean replace(String key, T expected, T value) {
    checkWritable();
    boolean stored = rows.replace(key, expected, value);
    if (stored) {
      changed(key, value);
    }
    return stored;
  }

  @Override
  public void remove(String key) {
    if (rows.remove(key) != null) {
      watchers.forEach(w -> w.accept(key, null));
    }
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
