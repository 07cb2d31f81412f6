package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.backend.KvBackend;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * The simulator's backend: records in memory, with a machine crash that loses exactly the
 * changes made since the last sync (a synced write or {@link #sync()} makes every earlier change
 * durable, as a write-ahead log's fsync does). Kept apart from the production MemoryBackend:
 * this one exists to lose data on purpose.
 */
final class SimBackend implements KvBackend {

  private record Undo(int partition, byte[] key, byte[] previous) {}

  private final Map<Integer, TreeMap<byte[], byte[]>> partitions = new HashMap<>();
  private final Deque<Undo> unsynced = new ArrayDeque<>();
  /** Records read one at a time (not by folds): what a repair path costs the disk. */
  long gets;

  private TreeMap<byte[], byte[]> partition(int p) {
    return partitions.computeIfAbsent(p, x -> new TreeMap<>(Arrays::compareUnsigned));
  }

  @Override
  public Optional<byte[]> get(int partition, byte[] key) {
    gets++;
    return Optional.ofNullable(partition(partition).get(key)).map(byte[]::clone);
  }

  /** A test's look at a record, not counted in {@link #gets}. */
  Optional<byte[]> peek(int partition, byte[] key) {
    return Optional.ofNullable(partition(partition).get(key)).map(byte[]::clone);
  }

  @Override
  public void put(int partition, byte[] key, byte[] value, boolean sync) {
    byte[] previous = partition(partition).put(key.clone(), value.clone());
    unsynced.push(new Undo(partition, key.clone(), previous));
    if (sync) {
      sync();
    }
  }

  @Override
  public void delete(int partition, byte[] key, boolean sync) {
    byte[] previous = partition(partition).remove(key);
    unsynced.push(new Undo(partition, key.clone(), previous));
    if (sync) {
      sync();
    }
  }

  @Override
  public void sync() {
    unsynced.clear();
  }

  @Override
  public void fold(int partition, BiConsumer<byte[], byte[]> each) {
    new TreeMap<>(partition(partition)).forEach((k, v) -> each.accept(k.clone(), v.clone()));
  }

  /** Copies the prefix's records first, so the callback may write, as with a snapshot. */
  @Override
  public void foldPrefix(int partition, byte[] prefix, BiPredicate<byte[], byte[]> each) {
    List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> record : partition(partition).tailMap(prefix, true).entrySet()) {
      byte[] key = record.getKey();
      if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        break;
      }
      records.add(Map.entry(key.clone(), record.getValue().clone()));
    }
    for (Map.Entry<byte[], byte[]> record : records) {
      if (!each.test(record.getKey(), record.getValue())) {
        return;
      }
    }
  }

  @Override
  public boolean isEmpty(int partition) {
    TreeMap<byte[], byte[]> records = partitions.get(partition);
    return records == null || records.isEmpty();
  }

  /** Dropping a handed-off partition is durable at once (a RocksDB range delete plus sync). */
  @Override
  public void drop(int partition) {
    partitions.remove(partition);
    unsynced.removeIf(u -> u.partition() == partition);
  }

  /** The machine died: every change since the last sync is gone. */
  void crash() {
    while (!unsynced.isEmpty()) {
      Undo u = unsynced.pop();
      if (u.previous() == null) {
        partition(u.partition()).remove(u.key());
      } else {
        partition(u.partition()).put(u.key(), u.previous());
      }
    }
  }

  @Override
  public void close() {}
}
