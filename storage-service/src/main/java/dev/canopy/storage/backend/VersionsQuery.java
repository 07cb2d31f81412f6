package dev.canopy.storage.backend;

/**
 * One page request of ListObjectVersions.
 *
 * @param keyMarker "" for none: the page starts after this key's versions (all of them, or those
 *     up to {@code versionIdMarker})
 * @param versionIdMarker "" for none; only with a key marker
 * @param maxKeys 0..1000; versions, delete markers and common prefixes all count
 */
public record VersionsQuery(String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {

  public VersionsQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null ? "" : delimiter;
    keyMarker = keyMarker == null ? "" : keyMarker;
    versionIdMarker = versionIdMarker == null || keyMarker.isEmpty() ? "" : versionIdMarker;
    if (maxKeys < 0 || maxKeys > ListQuery.KEYS_PER_LISTING_MAX) {
      throw new IllegalArgumentException("maxKeys out of range: " + maxKeys);
    }
  }
}
