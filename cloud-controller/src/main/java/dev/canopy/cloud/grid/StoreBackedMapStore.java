package dev.canopy.cloud.grid;

import com.hazelcast.map.MapStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one grid map through to the durable {@link SystemStore} and loads it back at start.
 * Write-through (no write delay): Hazelcast calls {@link #store} before the entry becomes
 * visible, so a failed durable write fails the caller's put and leaves the map unchanged.
 *
 * <p>The initial load reads the namespace once: {@link #loadAllKeys} keeps the values it read,
 * and the per-partition {@link #loadAll} calls that follow take theirs from it instead of one
 * store read per key (one round trip each when the store is the storage role's endpoint; a
 * restart read hundreds). Hazelcast holds back every operation on the map until that load is
 * done, so nothing is written between the read and its use; and the first write through this
 * member drops whatever is left, so a later load always reads the store.
 */
final class StoreBackedMapStore implements MapStore<String, String> {

  private final SystemStore store;
  private final String namespace;
  /** What the initial load read and has not handed out yet; empty once it has, or after a write. */
  private final Map<String, byte[]> initialLoad = new ConcurrentHashMap<>();

  StoreBackedMapStore(SystemStore store, String namespace) {
    this.store = store;
    this.namespace = namespace;
  }

  @Override
  public void store(String key, String value) {
    initialLoad.clear();
    store.put(namespace, key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void storeAll(Map<String, String> entries) {
    entries.forEach(this::store);
  }

  @Override
  public void delete(String key) {
    initialLoad.clear();
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

  /** What the initial load holds, and the rest in one {@link SystemStore#getAll} (one request per 1,000 over the endpoint). */
  @Override
  public Map<String, String> loadAll(Collection<String> keys) {
    Map<String, String> all = new HashMap<>();
    List<String> unread = new ArrayList<>();
    for (String key : keys) {
      byte[] read = initialLoad.remove(key);
      if (read != null) {
        all.put(key, new String(read, StandardCharsets.UTF_8));
      } else {
        unread.add(key);
      }
    }
    if (!unread.isEmpty()) {
      store.getAll(namespace, unread).forEach((key, value) -> all.put(key, new String(value, StandardCharsets.UTF_8)));
    }
    return all;
  }

  @Override
  public Iterable<String> loadAllKeys() {
    Map<String, byte[]> all = store.loadAll(namespace);
    initialLoad.clear();
    initialLoad.putAll(all);
    return Set.copyOf(all.keySet());
  }
}
