package dev.canopy.cloud.directory;

import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridMaps;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link DirectoryChanges} counted from Hazelcast entry listeners on the grid maps the directory
 * reads: {@code access-keys} and {@code accounts} for credentials, {@code buckets} for buckets.
 * A listener on a member hears the changes of every member (not only its own partitions), without
 * the values (no secret, sealed or not, travels for it). Hazelcast delivers events shortly after
 * the write and may lose some when a member fails, which is why storage nodes also age their
 * cache entries out.
 */
public final class GridDirectoryChanges implements DirectoryChanges, AutoCloseable {

  private final AtomicLong credentials = new AtomicLong();
  private final AtomicLong buckets = new AtomicLong();
  private final List<Runnable> registrations = new ArrayList<>();

  private GridDirectoryChanges() {}

  /** Starts counting; {@link #close()} removes the listeners. */
  public static GridDirectoryChanges watch(Grid grid) {
    GridDirectoryChanges changes = new GridDirectoryChanges();
    changes.listen(grid.entries(GridMaps.ACCESS_KEYS), changes.credentials);
    changes.listen(grid.entries(GridMaps.ACCOUNTS), changes.credentials);
    changes.listen(grid.entries(GridMaps.BUCKETS), changes.buckets);
    return changes;
  }

  private void listen(IMap<String, String> map, AtomicLong counter) {
    UUID id = map.addEntryListener(new Bump(counter), false);
    registrations.add(() -> map.removeEntryListener(id));
  }

  @Override
  public long credentials() {
    return credentials.get();
  }

  @Override
  public long buckets() {
    return buckets.get();
  }

  @Override
  public void close() {
    registrations.forEach(Runnable::run);
    registrations.clear();
  }

  /** Every kind of entry and map event moves the counter: any of them may change an answer. */
  private record Bump(AtomicLong counter)
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
          EntryEvictedListener<String, String>, EntryExpiredListener<String, String>, EntryLoadedListener<String, String>,
          MapClearedListener, MapEvictedListener {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void entryLoaded(EntryEvent<String, String> event) {
      counter.incrementAndGet();
    }

    @Override
    public void mapCleared(MapEvent event) {
      counter.incrementAndGet();
    }

    @Override
    public void mapEvicted(MapEvent event) {
      counter.incrementAndGet();
    }
  }
}
