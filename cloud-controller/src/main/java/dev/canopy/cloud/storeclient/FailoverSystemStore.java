package dev.canopy.cloud.storeclient;

import dev.canopy.storage.local.SystemStore;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SystemStore} over several storage nodes' internal KV endpoints, which all serve the
 * same replicated store, by the {@link Failover} rule. Every request of the API is idempotent, so
 * sending one again elsewhere is harmless.
 */
public final class FailoverSystemStore implements SystemStore {

  private final Failover<SystemStore> stores;

  /**
   * @param stores one per endpoint, in the order they are tried first
   * @param names each one's URL, for the log
   */
  public FailoverSystemStore(List<? extends SystemStore> stores, List<URI> names) {
    this.stores = new Failover<>(stores, names);
  }

  /** Endpoints of the same replicated store, each reached by its {@link RemoteSystemStore}. */
  public static FailoverSystemStore of(List<RemoteSystemStore> stores) {
    return new FailoverSystemStore(stores, stores.stream().map(RemoteSystemStore::endpoint).toList());
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    stores.call(store -> {
      store.put(namespace, key, value);
      return null;
    });
  }

  @Override
  public void putAll(List<Write> writes) {
    stores.call(store -> {
      store.putAll(writes);
      return null;
    });
  }

  @Override
  public void delete(String namespace, String key) {
    stores.call(store -> {
      store.delete(namespace, key);
      return null;
    });
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return stores.call(store -> store.get(namespace, key));
  }

  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    return stores.call(store -> store.getAll(namespace, keys));
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return stores.call(store -> store.loadAll(namespace));
  }
}
