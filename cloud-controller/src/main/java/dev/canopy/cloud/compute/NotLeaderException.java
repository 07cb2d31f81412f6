package dev.canopy.cloud.compute;

import dev.canopy.api.error.AwsException;

/**
 * Leader-only work asked of a controller that does not lead (or lost its grid majority, or was
 * fenced off by a newer epoch). Clients see EC2's 503 {@code Unavailable}, which the SDKs retry;
 * the EC2 endpoint first tries to forward the call to the controller that does lead.
 */
public final class NotLeaderException extends AwsException {

  public NotLeaderException() {
    super(503, "Unavailable", "The service is unavailable. Please try again shortly.");
  }
}
