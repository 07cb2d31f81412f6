package dev.canopy.cloud.hostmetrics;

import dev.canopy.storage.local.SystemStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A system store in memory, for tests: namespace + NUL + key → bytes. */
public final class MemoryStore implements SystemStore {

  final ConcurrentSkipListMap<String, byte[]> records = new ConcurrentSkipListMap<>();

  @Override
  public void put(String namespace, String key, byte[] value) {
    records.put(namespace + "\0" + key, value.clone());
  }

  @Override
  public void delete(String namespace, String key) {
    records.remove(namespace + "\0" + key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return Optional.ofNullable(records.get(namespace + "\0" + key)).map(byte[]::clone);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    Map<String, byte[]> all = new TreeMap<>();
    records.subMap(namespace + "\0", namespace + "\1").forEach((k, v) -> all.put(k.substring(namespace.length() + 1), v.clone()));
    return all;
  }

  /** The keys of a namespace. */
  public java.util.Set<String> keys(String namespace) {
    return loadAll(namespace).keySet();
  }
}
