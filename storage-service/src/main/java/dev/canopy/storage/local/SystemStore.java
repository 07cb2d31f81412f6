package dev.canopy.storage.local;

import java.util.Map;
import java.util.Optional;

/**
 * Durable key-value records for control-plane state, grouped by namespace (one per grid map).
 * The grid writes through to it and loads from it at start. Every write is fsynced before it
 * returns; a write that fails throws {@link StoreException} and changes nothing.
 */
public interface SystemStore {

  void put(String namespace, String key, byte[] value);

  void delete(String namespace, String key);

  Optional<byte[]> get(String namespace, String key);

  /** Every record of a namespace, keyed by record key. */
  Map<String, byte[]> loadAll(String namespace);
}
