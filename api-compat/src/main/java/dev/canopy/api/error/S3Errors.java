package dev.canopy.api.error;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.xml.XmlWriter;

/** S3's view of failures: authentication kinds mapped to S3 codes, and S3's XML error body. */
public final class S3Errors {

  private S3Errors() {}

  /** The error S3 returns for an authentication or payload failure. */
  public static AwsException fromAuth(AuthException e) {
    String message = e.getMessage();
    return switch (e.kind()) {
      case MISSING -> S3Error.ACCESS_DENIED.exception();
      case MALFORMED -> malformed(e);
      case UNKNOWN_ACCESS_KEY -> S3Error.INVALID_ACCESS_KEY_ID.exception();
      case SIGNATURE_MISMATCH -> S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
      case TIME_SKEWED -> S3Error.REQUEST_TIME_TOO_SKEWED.exception();
      case EXPIRED -> S3Error.ACCESS_DENIED.exception("Request has expired");
      case CONTENT_SHA256_MISMATCH -> S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.exception();
      // The verifier's messages name the failing digest in S3's own words.
      case BAD_DIGEST -> S3Error.BAD_DIGEST.exception(message);
      case INVALID_DIGEST -> S3Error.INVALID_DIGEST.exception(message);
      case INCOMPLETE_BODY -> S3Error.INCOMPLETE_BODY.exception(message);
    };
  }

  private static AwsException malformed(AuthException e) {
    String message = e.getMessage();
    return switch (e.detail()) {
      case MISSING_CONTENT_SHA256 -> S3Error.INVALID_REQUEST.exception(message);
      case INVALID_CONTENT_SHA256 -> S3Error.INVALID_ARGUMENT.exception(message);
      case UNSUPPORTED_ALGORITHM ->
          e.presigned()
              ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR.exception(message)
              : S3Error.INVALID_REQUEST.exception(
                  "The authorization mechanism you have provided is not supported. Please use"
                      + " AWS4-HMAC-SHA256.");
      case MISSING_DATE ->
          e.presigned()
              ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR.exception(message)
              : S3Error.ACCESS_DENIED.exception(message);
      case CREDENTIAL_SCOPE ->
          e.presigned()
              ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR.exception(
                  "Error parsing the X-Amz-Credential parameter; " + message)
              : S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                  "The authorization header is malformed; " + message);
      case NONE ->
          e.presigned()
              ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR.exception(message)
              : S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                  "The authorization header is malformed; " + message);
    };
  }

  /** S3's answer to any failure ({@link ServerFailures}): ServiceUnavailable for an unavailable store or grid, else InternalError. */
  public static AwsException fromFailure(Throwable failure) {
    return ServerFailures.toAwsError(failure, S3Error.SERVICE_UNAVAILABLE, S3Error.INTERNAL_ERROR);
  }

  // Factories for the errors S3 handlers raise most; any S3Error works the same way.

  public static AwsException noSuchBucket() {
    return S3Error.NO_SUCH_BUCKET.exception();
  }

  public static AwsException noSuchKey() {
    return S3Error.NO_SUCH_KEY.exception();
  }

  public static AwsException bucketAlreadyExists() {
    return S3Error.BUCKET_ALREADY_EXISTS.exception();
  }

  public static AwsException bucketAlreadyOwnedByYou() {
    return S3Error.BUCKET_ALREADY_OWNED_BY_YOU.exception();
  }

  public static AwsException bucketNotEmpty() {
    return S3Error.BUCKET_NOT_EMPTY.exception();
  }

  public static AwsException invalidRange() {
    return S3Error.INVALID_RANGE.exception();
  }

  public static AwsException noSuchUpload() {
    return S3Error.NO_SUCH_UPLOAD.exception();
  }

  public static AwsException invalidPart() {
    return S3Error.INVALID_PART.exception();
  }

  public static AwsException invalidPartOrder() {
    return S3Error.INVALID_PART_ORDER.exception();
  }

  public static AwsException entityTooSmall() {
    return S3Error.ENTITY_TOO_SMALL.exception();
  }

  public static AwsException entityTooLarge() {
    return S3Error.ENTITY_TOO_LARGE.exception();
  }

  public static AwsException malformedXml() {
    return S3Error.MALFORMED_XML.exception();
  }

  public static AwsException methodNotAllowed() {
    return S3Error.METHOD_NOT_ALLOWED.exception();
  }

  public static AwsException missingContentLength() {
    return S3Error.MISSING_CONTENT_LENGTH.exception();
  }

  public static AwsException keyTooLong() {
    return S3Error.KEY_TOO_LONG.exception();
  }

  public static AwsException internalError() {
    return S3Error.INTERNAL_ERROR.exception();
  }

  public static AwsException illegalLocationConstraint() {
    return S3Error.ILLEGAL_LOCATION_CONSTRAINT.exception();
  }

  public static AwsException preconditionFailed() {
    return S3Error.PRECONDITION_FAILED.exception();
  }

  public static AwsException invalidBucketName(String message) {
    return S3Error.INVALID_BUCKET_NAME.exception(message);
  }

  public static AwsException invalidArgument(String message) {
    return S3Error.INVALID_ARGUMENT.exception(message);
  }

  public static AwsException invalidRequest(String message) {
    return S3Error.INVALID_REQUEST.exception(message);
  }

  public static AwsException notImplemented(String message) {
    return S3Error.NOT_IMPLEMENTED.exception(message);
  }

  /**
   * S3's error body: {@code <Error><Code/><Message/><Resource/><RequestId/></Error>}.
   *
   * @param resource the bucket or object path the request named; omitted when null
   */
  public static String toXml(AwsException e, String resource, String requestId) {
    return new XmlWriter()
        .start("Error")
        .element("Code", e.code())
        .element("Message", e.getMessage() == null ? "" : e.getMessage())
        .optionalElement("Resource", resource)
        .element("RequestId", requestId)
        .end()
        .toString();
  }
}
