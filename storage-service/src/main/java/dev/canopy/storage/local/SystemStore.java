package dev.canopy.storage.local;

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

  /** Every record of a namespace, keyed by record key. */
  Map<String, byte[]> loadAll(String namespace);
}
