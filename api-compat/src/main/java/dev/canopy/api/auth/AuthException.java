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

  private final Kind kind;

  public AuthException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
