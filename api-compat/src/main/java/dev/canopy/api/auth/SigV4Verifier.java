package dev.canopy.api.auth;

import dev.canopy.api.http.RequestHead;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Verifies AWS Signature Version 4: Authorization header, presigned query string, and the
 * payload modes of x-amz-content-sha256 (a hex digest, UNSIGNED-PAYLOAD,
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). Comparisons are constant time.
 */
public final class SigV4Verifier {

  /** AWS allows 15 minutes between the client's clock and the server's. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);

  private final CredentialLookup credentials;
  private final InstantSource clock;
  private final Duration maxSkew;
  private final String region;
  private final String service;

  /**
   * @param region the region a credential scope must name
   * @param service the service a credential scope must name ("s3", "ec2", ...)
   */
  public SigV4Verifier(
      CredentialLookup credentials, InstantSource clock, Duration maxSkew, String region, String service) {
    this.credentials = credentials;
    this.clock = clock;
    this.maxSkew = maxSkew;
    this.region = region;
    this.service = service;
  }

  /**
   * Checks the signature of a request whose body streams (S3): the canonical request's payload
   * hash is the x-amz-content-sha256 header (required with an Authorization header), or
   * UNSIGNED-PAYLOAD for a presigned URL. The body is checked later by the returned request's
   * payload verifier.
   *
   * @throws AuthException {@code MISSING} when the request carries no signature at all
   */
  public VerifiedRequest verify(RequestHead head) throws AuthException {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Checks a request whose small body is already in memory (EC2 Query POST, admin JSON): the
   * payload hash is the SHA-256 of {@code body} unless x-amz-content-sha256 says otherwise (then
   * both must agree).
   */
  public Principal verifyWhole(RequestHead head, byte[] body) throws AuthException {
    throw new UnsupportedOperationException("TODO");
  }
}
