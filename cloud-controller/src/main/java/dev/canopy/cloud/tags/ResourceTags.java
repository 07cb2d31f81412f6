package dev.canopy.cloud.tags;

import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form: all tags of one resource in one record, so reading a resource's tags (every
 * Describe item renders them) is one key lookup rather than a scan.
 */
public record ResourceTags(String accountId, String resourceId, String resourceType, Map<String, String> tags) {
  public ResourceTags {
    tags = new TreeMap<>(tags);
  }
}
