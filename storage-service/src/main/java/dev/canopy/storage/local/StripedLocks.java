package dev.canopy.storage.local;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes read-modify-write commits on the same object key or upload id (read the old
 * manifest, write the new one and free the old blobs): two racing commits would otherwise both
 * free the same old blob and leak one of the new ones. Locks are held only for one commit.
 */
final class StripedLocks {

  private final ReentrantLock[] stripes;

  StripedLocks(int count) {
    stripes = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** A held set of stripes; close releases them. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Locks the stripes of all names, in stripe order so that two callers cannot deadlock. */
  Held lock(String... names) {
    int[] indexes = Arrays.stream(names).mapToInt(this::stripe).distinct().sorted().toArray();
    for (int index : indexes) {
      stripes[index].lock();
    }
    return () -> {
      for (int i = indexes.length - 1; i >= 0; i--) {
        stripes[indexes[i]].unlock();
      }
    };
  }

  private int stripe(String name) {
    return Math.floorMod(name.hashCode() * 0x9E3779B9, stripes.length);
  }
}
