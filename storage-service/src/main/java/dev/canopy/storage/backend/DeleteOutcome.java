package dev.canopy.storage.backend;

/**
 * The result for one key of a multi-object delete; {@code error} is null on success.
 *
 * @param versionId the version the request named, else null
 * @param deletion what a versioned delete did (a marker added or a version removed), else null
 */
public record DeleteOutcome(
    String key, dev.canopy.api.error.AwsException error, String versionId, VersionDeletion deletion) {

  public DeleteOutcome(String key, dev.canopy.api.error.AwsException error) {
    this(key, error, null, null);
  }
}
