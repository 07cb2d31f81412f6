package dev.canopy.storage.backend;

/**
 * A forward cursor over one bucket's keys in {@link KeyOrder}, as a storage engine's iterator
 * offers it. {@link Listing} drives it; a RocksDB iterator and a sorted map implement it.
 *
 * @param <V> what the cursor yields for the current key
 */
public interface KeyCursor<V> {

  /** Moves to the first key at or after {@code key}; false when there is none. */
  boolean seek(String key);

  /** Moves to the first key after every key that starts with {@code prefix}; false if none. */
  boolean seekPast(String prefix);

  /** Moves to the next key; false when there is none. */
  boolean next();

  /** The current key; only valid after a move returned true. */
  String key();

  V value();
}
