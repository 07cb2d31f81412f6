package dev.canopy.storage.kv.engine;

import dev.canopy.storage.backend.KeyOrder;
import dev.canopy.storage.kv.engine.Message.ListRange;
import dev.canopy.storage.kv.engine.Message.Listed;
import dev.canopy.storage.kv.engine.Message.RangeReply;
import dev.canopy.storage.kv.ring.KeyHash;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A vnode's side of a listing ({@link ListRange}): the first records of one bucket in UTF-8 key
 * order, tombstones included (the coordinator must see a delete to hide a stale replica's value).
 *
 * <p>The backend keeps a bucket's keys as {@code len(key) key}, so they are one range but sorted by
 * length first: the page's first keys may sit anywhere in it. A page therefore costs a scan of the
 * bucket's share of the partition (a seek to the bucket, no further), whatever its limit, and keeps
 * the smallest {@code limit} keys seen in a bounded heap (its largest on top, evicted first).
 */
final class RangeScan {

  private static final Comparator<Listed> LARGEST_FIRST =
      Comparator.comparing(Listed::key, KeyOrder.COMPARATOR).reversed();

  private RangeScan() {}

  static RangeReply serve(Vnode vnode, ListRange m, int partitions) {
    BitSet homes = new BitSet(partitions);
    for (int home : m.homes()) {
      homes.set(home);
    }
    PriorityQueue<Listed> smallest = new PriorityQueue<>(LARGEST_FIRST);
    boolean[] more = {false};
    vnode.foldPrefix(StorageKeys.bucketPrefix(m.bucket()), (storageKey, record) -> {
      String key = StorageKeys.decode(storageKey).key();
      if (!key.startsWith(m.prefix()) || KeyOrder.compare(key, m.startAfter()) <= 0
          || !homes.get(KeyHash.partition(storageKey, partitions))) {
        return true;
      }
      if (smallest.size() == m.limit()) {
        more[0] = true;
        if (KeyOrder.compare(key, smallest.peek().key()) >= 0) {
          return true;
        }
        smallest.poll();
      }
      smallest.add(new Listed(key, record));
      return true;
    });
    List<Listed> ascending = new ArrayList<>(smallest);
    ascending.sort(LARGEST_FIRST.reversed());
    return withinBytes(ascending, more[0]);
  }

  /** The records up to the answer's byte bound (at least one, so a listing always advances). */
  private static RangeReply withinBytes(List<Listed> ascending, boolean more) {
    long bytes = 0;
    for (int i = 0; i < ascending.size(); i++) {
      bytes += ascending.get(i).key().length() * 3L + ascending.get(i).object().length;
      if (bytes > ListLimits.REPLY_BYTES_MAX && i > 0) {
        return new RangeReply(List.copyOf(ascending.subList(0, i)), true);
      }
    }
    return new RangeReply(ascending, more);
  }
}
