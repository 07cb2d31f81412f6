package dev.canopy.storage.local;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/** Counts what a store physically holds, for tests that must see "nothing stored, nothing leaked". */
public final class StoreProbe {

  private StoreProbe() {}

  /** Data chunks of every blob, published or not. */
  public static int chunkCount(LocalStore store) {
    return count(store, store.chunks());
  }

  /** Blobs still marked as being written. */
  public static int inProgressBlobCount(LocalStore store) {
    return count(store, store.blobs());
  }

  private static int count(LocalStore store, ColumnFamilyHandle family) {
    int n = 0;
    try (RocksIterator it = store.db().newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
      LocalStore.checkIterator(it);
    }
    return n;
  }
}
