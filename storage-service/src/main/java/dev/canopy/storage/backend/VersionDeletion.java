package dev.canopy.storage.backend;

/**
 * What a versioned DELETE did: the version it added (a delete marker) or removed.
 *
 * @param versionId the marker's or removed version's id; null in a never-versioned bucket
 * @param deleteMarker true when the version added or removed is a delete marker
 */
public record VersionDeletion(String versionId, boolean deleteMarker) {

  public static final VersionDeletion UNVERSIONED = new VersionDeletion(null, false);
}
