package dev.canopy.storage.local;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Durable key-value records for control-plane state, grouped by namespace (one per grid map).
 * The grid writes through to it and loads from it at start. Every write is fsynced before it
 * returns; a write that fails throws {@link StoreException} and changes nothing.
 */
public interface SystemStore {

  void put(String namespace, String key, byte[] value);

  /** One record of a {@link #putAll} batch. */
  record Write(String namespace, String key, byte[] value) {
    public Write {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Writes every record, durable once this returns. A store that can makes it one synced write;
   * this default puts them one by one, so a failure may leave some written: callers write
   * idempotent absolute values and retry the whole batch.
   */
  default void putAll(List<Write> writes) {
    for (Write w : writes) {
      put(w.namespace(), w.key(), w.value());
    }
  }

  void delete(String namespace, String key);

  Optional<byte[]> get(String namespace, String key);

  /**
   * The records of {@code keys} in one namespace, by key; a key with no record is absent. A store
   * that can reads them in one call (RocksDB's multi-get): a reader of many records (the month-end
   * billing run) then pays the per-call cost once, not per record. This default reads them one by one.
   */
  default Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    for (String key : keys) {
      get(namespace, key).ifPresent(value -> found.put(key, value));
    }
    return found;
  }

  /** Every record of a namespace, keyed by record key. */
  Map<String, byte[]> loadAll(String namespace);
}
