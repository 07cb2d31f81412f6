package dev.canopy.cloud.tags;

import dev.canopy.cloud.grid.IndexedAttributes;
import dev.canopy.cloud.grid.IndexCondition;
import dev.canopy.cloud.grid.TableSource;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link TagStore} over a grid table of {@link ResourceTags}, keyed {@code accountId/resourceId}.
 * Changes are compare-and-set loops ({@link Tables#update}), so concurrent CreateTags on one
 * resource from any controller never lose a tag.
 */
public final class GridTagStore implements TagStore {

  /** The grid map (and durable namespace) of tags. */
  public static final String MAP = IndexedAttributes.TAGS_MAP;

  private final Table<ResourceTags> table;

  public GridTagStore(Table<ResourceTags> table) {
    this.table = table;
  }

  /** The store over the grid's durable {@link #MAP}. */
  public static GridTagStore onGrid(TableSource grid) {
    return new GridTagStore(grid.map(MAP, ResourceTags.class));
  }

  @Override
  public void put(String accountId, String resourceId, String resourceType, Map<String, String> tags) {
    String key = key(accountId, resourceId);
    TagRules.checkCount(tags.size());
    ResourceTags fresh = new ResourceTags(accountId, resourceId, resourceType, tags);
    for (int attempt = 0; attempt < Tables.ATTEMPTS_MAX; attempt++) {
      if (table.putIfAbsent(key, fresh)) {
        return;
      }
      boolean merged = Tables.update(table, key, current -> {
        Map<String, String> all = new TreeMap<>(current.tags());
        all.putAll(tags);
        // Checked on the merged set: the limit is per resource, not per request.
        TagRules.checkCount(all.size());
        return new ResourceTags(accountId, resourceId, resourceType, all);
      }).isPresent();
      if (merged) {
        return;
      }
      // The record was removed between putIfAbsent and update: try again from the start.
    }
    throw new IllegalStateException("tags of " + key + " were created and removed " + Tables.ATTEMPTS_MAX + " times in a row");
  }

  @Override
  public Map<String, String> tagsOf(String accountId, String resourceId) {
    return table.get(key(accountId, resourceId)).map(ResourceTags::tags).orElse(Map.of());
  }

  @Override
  public Map<String, Map<String, String>> tagsOfEach(String accountId, java.util.Collection<String> resourceIds) {
    Map<String, Map<String, String>> found = new java.util.HashMap<>();
    table.getAll(resourceIds.stream().map(id -> key(accountId, id)).toList()).values().forEach(r -> {
      if (r.accountId().equals(accountId) && !r.tags().isEmpty()) {
        found.put(r.resourceId(), r.tags());
      }
    });
    return found;
  }

  /** Through the grid's index of tag keys ({@link IndexedAttributes#TAG_KEYS}) where the table keeps it. */
  @Override
  public java.util.Set<String> resourcesWithKey(String accountId, String tagKey) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    String prefix = key(accountId, "");
    table.keysWhere(List.of(new IndexCondition(IndexedAttributes.ACCOUNT_ID, java.util.Set.of(accountId)),
            new IndexCondition(IndexedAttributes.TAG_KEYS, java.util.Set.of(tagKey))))
        .ifPresentOrElse(
            keys -> keys.stream().filter(k -> k.startsWith(prefix)).forEach(k -> ids.add(k.substring(prefix.length()))),
            () -> table.values(r -> r.accountId().equals(accountId) && r.tags().containsKey(tagKey)).forEach(r -> ids.add(r.resourceId())));
    return ids;
  }

  @Override
  public void remove(String accountId, String resourceId, List<String> keys) {
    String key = key(accountId, resourceId);
    if (keys.isEmpty()) {
      // All tags go when their resource goes; nobody tags a deleted resource, so no race to lose.
      table.remove(key);
      return;
    }
    // A record left with no tags stays (Table has no conditional remove); it shows nothing.
    Tables.update(table, key, current -> {
      Map<String, String> left = new TreeMap<>(current.tags());
      keys.forEach(left::remove);
      return left.equals(current.tags()) ? current : new ResourceTags(accountId, resourceId, current.resourceType(), left);
    });
  }

  @Override
  public List<Tag> all(String accountId) {
    List<Tag> out = new ArrayList<>();
    for (ResourceTags r : table.values(r -> r.accountId().equals(accountId))) {
      r.tags().forEach((k, v) -> out.add(new Tag(accountId, r.resourceId(), r.resourceType(), k, v)));
    }
    out.sort(Comparator.comparing(Tag::resourceId).thenComparing(Tag::key));
    return out;
  }

  private static String key(String accountId, String resourceId) {
    return accountId + "/" + resourceId;
  }
}
