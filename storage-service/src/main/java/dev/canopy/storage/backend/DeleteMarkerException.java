package dev.canopy.storage.backend;

import dev.canopy.api.error.AwsException;

/**
 * A read named a delete marker's version id: S3 answers 405 MethodNotAllowed with the marker's
 * headers ({@code x-amz-delete-marker}, {@code x-amz-version-id}), which the API layer adds.
 */
public final class DeleteMarkerException extends AwsException {

  private final String versionId;

  public DeleteMarkerException(String versionId) {
    super(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    this.versionId = versionId;
  }

  public String versionId() {
    return versionId;
  }
}
