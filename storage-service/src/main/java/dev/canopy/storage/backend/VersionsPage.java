package dev.canopy.storage.backend;

import java.util.List;

/**
 * One page of ListObjectVersions: versions newest first per key, keys in order.
 *
 * @param nextKeyMarker and {@code nextVersionIdMarker}: where the next page starts; null unless truncated
 */
public record VersionsPage(
    List<ObjectVersion> versions, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
    String nextVersionIdMarker) {

  public VersionsPage {
    versions = List.copyOf(versions);
    commonPrefixes = List.copyOf(commonPrefixes);
  }
}
