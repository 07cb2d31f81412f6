package dev.canopy.storage.kv.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * A {@link KvBackend} in memory, for the simulator and tests, that models durability: it keeps
 * what a machine crash would leave (the synced state) beside what the process sees, and {@link
 * #crash()} throws away every change not yet synced. A synced write, like RocksDB's synced write
 * to its one ordered log, makes every earlier change durable too; {@link #drop} is synced, as in
 * {@link RocksBackend}. With it a simulation can find a node that acknowledges a write before
 * syncing it.
 *
 * <p>Thread safe (one lock; a fold copies its partition under the lock and calls back outside it,
 * so the callback may write). Keys are sorted by unsigned bytes in each partition. Arrays are
 * copied in and out: a caller that reuses its buffers cannot change what is stored.
 */
public final class MemoryBackend implements KvBackend {

  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private final Map<Integer, NavigableMap<byte[], byte[]>> live = new HashMap<>();
  private final Map<Integer, NavigableMap<byte[], byte[]>> durable = new HashMap<>();
  /** Keys whose live record differs from (or may differ from) the durable one, per partition. */
  private final Map<Integer, NavigableSet<byte[]>> unsynced = new HashMap<>();
  private boolean closed;

  @Override
  public synchronized Optional<byte[]> get(int partition, byte[] key) {
    checkOpen("get");
    byte[] value = records(live, partition).get(Objects.requireNonNull(key, "key"));
    return Optional.ofNullable(value).map(byte[]::clone);
  }

  @Override
  public synchronized void put(int partition, byte[] key, byte[] value, boolean sync) {
    checkOpen("put");
    Objects.requireNonNull(value, "value");
    byte[] copy = Objects.requireNonNull(key, "key").clone();
    records(live, partition).put(copy, value.clone());
    changed(partition, copy, sync);
  }

  @Override
  public synchronized void delete(int partition, byte[] key, boolean sync) {
    checkOpen("delete");
    byte[] copy = Objects.requireNonNull(key, "key").clone();
    records(live, partition).remove(copy);
    changed(partition, copy, sync);
  }

  @Override
  public synchronized void sync() {
    checkOpen("sync");
    settleUnsynced(live, durable);
  }

  @Override
  public void fold(int partition, BiConsumer<byte[], byte[]> each) {
    List<Map.Entry<byte[], byte[]>> snapshot;
    synchronized (this) {
      checkOpen("fold");
      // Entries of their own: a TreeMap's entries are views that a later put would change.
      snapshot = new ArrayList<>();
      records(live, partition).forEach((key, value) -> snapshot.add(Map.entry(key, value)));
    }
    for (Map.Entry<byte[], byte[]> record : snapshot) {
      each.accept(record.getKey().clone(), record.getValue().clone());
    }
  }

  @Override
  public void foldPrefix(int partition, byte[] prefix, BiPredicate<byte[], byte[]> each) {
    List<Map.Entry<byte[], byte[]>> snapshot = new ArrayList<>();
    synchronized (this) {
      checkOpen("foldPrefix");
      for (Map.Entry<byte[], byte[]> record : records(live, partition).tailMap(prefix, true).entrySet()) {
        if (!PartitionKeys.startsWith(record.getKey(), prefix)) {
          break;
        }
        snapshot.add(Map.entry(record.getKey(), record.getValue()));
      }
    }
    for (Map.Entry<byte[], byte[]> record : snapshot) {
      if (!each.test(record.getKey().clone(), record.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public synchronized boolean isEmpty(int partition) {
    checkOpen("isEmpty");
    return records(live, partition).isEmpty();
  }

  @Override
  public synchronized void drop(int partition) {
    checkOpen("drop");
    PartitionKeys.checkPartition(partition);
    live.remove(partition);
    sync();
    durable.remove(partition);
  }

  /**
   * The machine crashed and came back: every change not yet synced is gone, each key holds its
   * last synced record (or none). The backend stays open, as a restarted node's would be.
   */
  public synchronized void crash() {
    checkOpen("crash");
    settleUnsynced(durable, live);
  }

  /** How many changes a crash would lose now (keys whose last change is not synced). */
  public synchronized int unsyncedCount() {
    return unsynced.values().stream().mapToInt(NavigableSet::size).sum();
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void changed(int partition, byte[] key, boolean sync) {
    unsynced.computeIfAbsent(partition, p -> new TreeSet<>(UNSIGNED)).add(key);
    if (sync) {
      sync();
    }
  }

  private static NavigableMap<byte[], byte[]> records(Map<Integer, NavigableMap<byte[], byte[]>> side, int partition) {
    return side.computeIfAbsent(PartitionKeys.checkPartition(partition), p -> new TreeMap<>(UNSIGNED));
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new BackendException("the memory backend is closed (" + what + ")", null);
    }
  }

  /** Copies the unsynced keys' records from one side to the other and forgets them. */
  private void settleUnsynced(Map<Integer, NavigableMap<byte[], byte[]>> fromSide,
      Map<Integer, NavigableMap<byte[], byte[]>> toSide) {
    unsynced.forEach((partition, keys) -> {
      NavigableMap<byte[], byte[]> from = records(fromSide, partition);
      NavigableMap<byte[], byte[]> to = records(toSide, partition);
      for (byte[] key : keys) {
        byte[] value = from.get(key);
        if (value == null) {
          to.remove(key);
        } else {
          to.put(key, value);
        }
      }
    });
    unsynced.clear();
  }
}
