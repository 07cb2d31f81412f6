package dev.canopy.cloud.compute;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each instance's sort key ({@link PageCursor#sortKey}) by instance id, remembered by this
 * controller so that ordering a listing's candidates reads no record. Correct without any
 * invalidation: the key is made of fields fixed for the instance's whole life, and an id is never
 * reused, so a remembered key is never stale whichever controller changed the instance, and a
 * controller that restarts merely reads the records once more.
 */
final class LaunchOrder {

  /**
   * Bound on remembered keys (about 100 bytes each): well above the instances a cloud keeps visible;
   * past it the memory is dropped and refilled on demand, which costs reads, never answers.
   */
  static final int KEYS_MAX = 500_000;

  private final Map<String, String> keys = new ConcurrentHashMap<>();

  /**
   * The sort key of each id that still has a record, reading the records of those not yet known
   * in one call of {@code read}; ids without a record are left out.
   */
  Map<String, String> keysOf(Collection<String> ids, Function<List<String>, Map<String, Instance>> read) {
    Map<String, String> found = new HashMap<>(ids.size() * 2);
    List<String> unknown = new java.util.ArrayList<>();
    for (String id : ids) {
      String key = keys.get(id);
      if (key == null) {
        unknown.add(id);
      } else {
        found.put(id, key);
      }
    }
    if (!unknown.isEmpty()) {
      if (keys.size() + unknown.size() > KEYS_MAX) {
        keys.clear();
      }
      read.apply(unknown).forEach((id, instance) -> {
        String key = PageCursor.sortKey(instance);
        keys.put(id, key);
        found.put(id, key);
      });
    }
    return found;
  }

  int size() {
    return keys.size();
  }
}
