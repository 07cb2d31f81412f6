package dev.canopy.storage.kv.backend;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * A node's local storage of replica records, keyed by ring partition and an opaque key (the
 * engine encodes bucket and key into it). Calls block; the engine runs them off the event loop.
 *
 * <p>Durability is explicit: {@code put} and {@code delete} with {@code sync} return only once
 * the change would survive a crash of the machine (the engine counts a replica toward {@code dw}
 * only then); without it the change survives a crash of the process but may be lost with the
 * machine until a later synced write or {@link #sync()}. A failed call throws {@link
 * BackendException} and changes nothing.
 */
public interface KvBackend extends AutoCloseable {

  Optional<byte[]> get(int partition, byte[] key);

  void put(int partition, byte[] key, byte[] value, boolean sync);

  void delete(int partition, byte[] key, boolean sync);

  /** Makes every earlier change durable, as if each had been written with {@code sync}. */
  void sync();

  /**
   * Calls {@code each} with every record of a partition in key order (unsigned bytes), from a
   * consistent snapshot: writes during the fold are not seen.
   */
  void fold(int partition, BiConsumer<byte[], byte[]> each);

  /**
   * Calls {@code each} with the records of a partition whose keys start with {@code prefix}, in
   * key order (unsigned bytes), from a consistent snapshot, until {@code each} returns false or
   * the prefix's records end: a seek to the prefix and a scan that stops at the first key past it,
   * so a caller after one bucket's records does not read the rest of the partition.
   */
  void foldPrefix(int partition, byte[] prefix, BiPredicate<byte[], byte[]> each);

  /** Whether the partition holds no record. */
  boolean isEmpty(int partition);

  /** Removes every record of a partition (after it was handed off to its new owner). */
  void drop(int partition);

  @Override
  void close();
}
