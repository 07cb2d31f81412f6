package dev.canopy.storage.s3;

import dev.canopy.api.error.Unavailable;

/**
 * The directory the S3 API reads (access keys through a {@code CredentialLookup}, bucket records
 * through a {@link BucketRegistry}) could not answer: no controller was reachable, or every one
 * said it could not serve. Nothing was changed by the call that threw it, or its outcome is
 * unknown; the client may retry, so the S3 API answers 503 {@code ServiceUnavailable} (which the
 * SDKs retry with backoff), never 500. The message names controllers and statuses, never a secret.
 */
public final class DirectoryUnavailableException extends RuntimeException implements Unavailable {

  public DirectoryUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
