package dev.canopy.cloud.tags;

import java.util.List;
import java.util.Map;

/**
 * Tags of every taggable resource, scoped to the owning account. Resource families call it to
 * apply TagSpecifications at creation and to render {@code tagSet}; CreateTags/DeleteTags/
 * DescribeTags are its API actions.
 */
public interface TagStore {

  /** Adds or overwrites tags on one resource (AWS: at most 50 per resource). */
  void put(String accountId, String resourceId, String resourceType, Map<String, String> tags);

  /** The resource's tags by key, in key order; empty when it has none. */
  Map<String, String> tagsOf(String accountId, String resourceId);

  /**
   * The tags of each of these resources that has any, by resource id: one round trip where the
   * store can, for rendering a page of resources.
   */
  default Map<String, Map<String, String>> tagsOfEach(String accountId, java.util.Collection<String> resourceIds) {
    Map<String, Map<String, String>> found = new java.util.HashMap<>();
    for (String id : resourceIds) {
      Map<String, String> tags = tagsOf(accountId, id);
      if (!tags.isEmpty()) {
        found.put(id, tags);
      }
    }
    return found;
  }

  /** The ids of the account's resources that have a tag with this key (any value). */
  default java.util.Set<String> resourcesWithKey(String accountId, String key) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    all(accountId).stream().filter(t -> t.key().equals(key)).forEach(t -> ids.add(t.resourceId()));
    return ids;
  }

  /** Removes the given keys (all tags when {@code keys} is empty). */
  void remove(String accountId, String resourceId, List<String> keys);

  /** Every tag of an account, for DescribeTags. */
  List<Tag> all(String accountId);
}
