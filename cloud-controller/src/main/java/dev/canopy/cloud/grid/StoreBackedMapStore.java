package dev.canopy.cloud.grid;

import com.hazelcast.map.MapStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes one grid map through to the durable {@link SystemStore} and loads it back at start.
 * Write-through (no write delay): Hazelcast calls {@link #store} before the entry becomes
 * visible, so a failed durable write fails the caller's put and leaves the map unchanged.
 */
final class StoreBackedMapStore implements MapStore<String, String> {

  private final SystemStore store;
  private final String namespace;

  StoreBackedMapStore(SystemStore store, String namespace) {
    this.store = store;
    this.namespace = namespace;
  }

  @Override
  public void store(String key, String value) {
    store.put(namespace, key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void storeAll(Map<String, String> entries) {
    entries.forEach(this::store);
  }

  @Override
  public void delete(String key) {
    store.delete(namespace, key);
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    keys.forEach(this::delete);
  }

  @Override
  public String load(String key) {
    return store.get(namespace, key).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
  }

  @Override
  public Map<String, String> loadAll(Collection<String> keys) {
    Map<String, String> all = new HashMap<>();
    for (String key : keys) {
      String value = load(key);
      if (value != null) {
        all.put(key, value);
      }
    }
    return all;
  }

  @Override
  public Iterable<String> loadAllKeys() {
    Set<String> keys = store.loadAll(namespace).keySet();
    return Set.copyOf(keys);
  }
}
