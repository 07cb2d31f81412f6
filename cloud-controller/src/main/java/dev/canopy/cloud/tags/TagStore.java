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

  /** Removes the given keys (all tags when {@code keys} is empty). */
  void remove(String accountId, String resourceId, List<String> keys);

  /** Every tag of an account, for DescribeTags. */
  List<Tag> all(String accountId);
}
