package dev.canopy.storage.lifecycle;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which objects a lifecycle rule applies to: all of the given conditions hold. The form only says
 * how the client wrote it, so that GetBucketLifecycleConfiguration answers it the same way.
 *
 * @param prefix the key prefix; null when none was given
 * @param tags tags the object must carry, each with this value; empty when none
 * @param sizeGreaterThan the object must be larger than this many bytes; null when none
 * @param sizeLessThan the object must be smaller than this many bytes; null when none
 */
public record LifecycleFilter(Form form, String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {

  /** How the rule was written: a rule-level {@code <Prefix>}, a {@code <Filter>} with one condition (or none), or {@code <And>}. */
  public enum Form { LEGACY_PREFIX, FILTER, AND }

  public LifecycleFilter {
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /** Whether an object with this key, size and tags is one the rule applies to. */
  public boolean matches(String key, long size, Map<String, String> objectTags) {
    return matchesKeyAndSize(key, size)
        && tags.entrySet().stream().allMatch(tag -> tag.getValue().equals(objectTags.get(tag.getKey())));
  }

  /** The conditions a listing can check (tags need the object's metadata). */
  public boolean matchesKeyAndSize(String key, long size) {
    return (prefix == null || key.startsWith(prefix))
        && (sizeGreaterThan == null || size > sizeGreaterThan)
        && (sizeLessThan == null || size < sizeLessThan);
  }

  public boolean namesTags() {
    return !tags.isEmpty();
  }
}
