package dev.canopy.storage.backend;

import java.time.Instant;

/**
 * One version of a key as ListObjectVersions shows it: an object or a delete marker.
 *
 * @param versionId {@link #NULL_ID} for the null version
 * @param latest true for the key's current version
 * @param etag unquoted; null for a delete marker
 */
public record ObjectVersion(
    String key, String versionId, boolean deleteMarker, boolean latest, Instant lastModified, String etag, long size) {

  /** The id S3 shows for a version written while versioning was never enabled or suspended. */
  public static final String NULL_ID = "null";
}
