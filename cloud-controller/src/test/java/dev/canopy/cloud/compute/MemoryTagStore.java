package dev.canopy.cloud.compute;

import dev.canopy.cloud.tags.Tag;
import dev.canopy.cloud.tags.TagStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A tag store in memory, for tests of families that apply and render tags. */
public final class MemoryTagStore implements TagStore {

  private final Map<String, TreeMap<String, String>> byResource = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();

  @Override
  public synchronized void put(String accountId, String resourceId, String resourceType, Map<String, String> tags) {
    byResource.computeIfAbsent(accountId + "/" + resourceId, k -> new TreeMap<>()).putAll(tags);
    types.put(accountId + "/" + resourceId, resourceType);
  }

  @Override
  public synchronized Map<String, String> tagsOf(String accountId, String resourceId) {
    return Map.copyOf(byResource.getOrDefault(accountId + "/" + resourceId, new TreeMap<>()));
  }

  @Override
  public synchronized void remove(String accountId, String resourceId, List<String> keys) {
    TreeMap<String, String> tags = byResource.get(accountId + "/" + resourceId);
    if (tags != null) {
      if (keys.isEmpty()) {
        tags.clear();
      } else {
        keys.forEach(tags::remove);
      }
    }
  }

  @Override
  public synchronized List<Tag> all(String accountId) {
    List<Tag> all = new ArrayList<>();
    byResource.forEach((key, tags) -> {
      if (key.startsWith(accountId + "/")) {
        String id = key.substring(accountId.length() + 1);
        tags.forEach((k, v) -> all.add(new Tag(accountId, id, types.get(key), k, v)));
      }
    });
    return all;
  }
}
