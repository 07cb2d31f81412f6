package dev.canopy.api.auth;

/**
 * A request failed authentication or payload integrity. The kind is protocol neutral; each
 * service maps it to its own AWS error code (S3: {@code SignatureDoesNotMatch}, EC2:
 * {@code AuthFailure}, ...). Messages never contain secrets.
 */
public final class AuthException extends Exception {

  /** Why a request was refused. */
  public enum Kind {
    /** No signature at all (anonymous request). */
    MISSING,
    /** Authorization header or presigned query parameters cannot be parsed, or name the wrong region/service. */
    MALFORMED,
    /** The access key id is not known. */
    UNKNOWN_ACCESS_KEY,
    /** The recomputed signature differs (header, presigned or a chunk signature). */
    SIGNATURE_MISMATCH,
    /** x-amz-date / Date is outside the allowed clock-skew window. */
    TIME_SKEWED,
    /** A presigned URL past its X-Amz-Expires. */
    EXPIRED,
    /** The body's SHA-256 differs from x-amz-content-sha256. */
    CONTENT_SHA256_MISMATCH,
    /** The body's MD5 differs from Content-MD5, or an x-amz-checksum-* value differs. */
    BAD_DIGEST,
    /** Content-MD5 or an x-amz-checksum-* header is not valid base64 of the right length. */
    INVALID_DIGEST,
    /** The body ended before its declared length, or aws-chunked framing is broken. */
    INCOMPLETE_BODY
  }

  /**
   * Refines a kind where services answer with different codes for one cause (S3 says
   * {@code InvalidRequest} for a missing x-amz-content-sha256 but
   * {@code AuthorizationHeaderMalformed} for a bad credential). {@link #NONE} when nothing more
   * is known.
   */
  public enum Detail {
    NONE,
    /** MALFORMED: the credential scope names another region, service, date or terminator. */
    CREDENTIAL_SCOPE,
    /**
     * MALFORMED: not AWS4-HMAC-SHA256 (SigV2, SigV4a, ...); SIGNATURE_MISMATCH: a SigV2
     * SignatureVersion other than 2.
     */
    UNSUPPORTED_ALGORITHM,
    /** MALFORMED: x-amz-content-sha256 is required here and absent. */
    MISSING_CONTENT_SHA256,
    /** MALFORMED: x-amz-content-sha256 is neither a SHA-256 in hex nor a known payload mode. */
    INVALID_CONTENT_SHA256,
    /** MALFORMED: neither x-amz-date nor Date holds a usable time. */
    MISSING_DATE
  }

  private final Kind kind;
  private final Detail detail;
  private final boolean presigned;

  public AuthException(Kind kind, String message) {
    this(kind, Detail.NONE, false, message);
  }

  /**
   * @param presigned whether the request was authenticated by a presigned URL rather than an
   *     Authorization header (S3 names query-string errors differently)
   */
  public AuthException(Kind kind, Detail detail, boolean presigned, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.detail = detail;
    this.presigned = presigned;
  }

  public Kind kind() {
    return kind;
  }

  public Detail detail() {
    return detail;
  }

  public boolean presigned() {
    return presigned;
  }
}
