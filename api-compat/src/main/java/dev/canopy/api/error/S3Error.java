package dev.canopy.api.error;

/**
 * The S3 error codes Canopy returns, with the HTTP status and default message AWS uses (checked
 * against the S3 error-code list in botocore's model and the S3 API reference).
 *
 * <pre>{@code throw S3Error.NO_SUCH_BUCKET.exception();}</pre>
 */
public enum S3Error implements AwsErrorCode {
  ACCESS_DENIED(403, "AccessDenied", "Access Denied"),
  AUTHORIZATION_HEADER_MALFORMED(400, "AuthorizationHeaderMalformed", "The authorization header is malformed"),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR(
      400, "AuthorizationQueryParametersError", "Query-string authentication parameters are invalid"),
  BAD_DIGEST(400, "BadDigest", "The Content-MD5 you specified did not match what we received."),
  BUCKET_ALREADY_EXISTS(
      409,
      "BucketAlreadyExists",
      "The requested bucket name is not available. The bucket namespace is shared by all users of"
          + " the system. Please select a different name and try again."),
  BUCKET_ALREADY_OWNED_BY_YOU(
      409,
      "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it."),
  BUCKET_NOT_EMPTY(409, "BucketNotEmpty", "The bucket you tried to delete is not empty"),
  ENTITY_TOO_LARGE(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."),
  ENTITY_TOO_SMALL(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size."),
  ILLEGAL_LOCATION_CONSTRAINT(
      400,
      "IllegalLocationConstraintException",
      "The unspecified location constraint is incompatible for the region specific endpoint this"
          + " request was sent to."),
  INCOMPLETE_BODY(
      400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header"),
  INTERNAL_ERROR(500, "InternalError", "We encountered an internal error. Please try again."),
  SLOW_DOWN(503, "SlowDown", "Please reduce your request rate."),
  TOO_MANY_BUCKETS(400, "TooManyBuckets", "You have attempted to create more buckets than allowed"),
  INVALID_ACCESS_KEY_ID(
      403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
  INVALID_ARGUMENT(400, "InvalidArgument", "Invalid Argument"),
  INVALID_BUCKET_NAME(400, "InvalidBucketName", "The specified bucket is not valid."),
  INVALID_DIGEST(400, "InvalidDigest", "The Content-MD5 you specified is not valid."),
  INVALID_LOCATION_CONSTRAINT(400, "InvalidLocationConstraint", "The specified location-constraint is not valid"),
  INVALID_PART(
      400,
      "InvalidPart",
      "One or more of the specified parts could not be found. The part may not have been uploaded,"
          + " or the specified entity tag may not match the part's entity tag."),
  INVALID_PART_ORDER(
      400,
      "InvalidPartOrder",
      "The list of parts was not in ascending order. Parts must be ordered by part number."),
  INVALID_RANGE(416, "InvalidRange", "The requested range is not satisfiable"),
  INVALID_REQUEST(400, "InvalidRequest", "Invalid Request"),
  INVALID_URI(400, "InvalidURI", "Couldn't parse the specified URI."),
  KEY_TOO_LONG(400, "KeyTooLongError", "Your key is too long"),
  MALFORMED_XML(
      400,
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema"),
  METHOD_NOT_ALLOWED(405, "MethodNotAllowed", "The specified method is not allowed against this resource."),
  MISSING_CONTENT_LENGTH(411, "MissingContentLength", "You must provide the Content-Length HTTP header."),
  MISSING_REQUEST_BODY(400, "MissingRequestBodyError", "Request Body is empty"),
  NO_SUCH_BUCKET(404, "NoSuchBucket", "The specified bucket does not exist"),
  NO_SUCH_KEY(404, "NoSuchKey", "The specified key does not exist."),
  NO_SUCH_UPLOAD(
      404,
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have"
          + " been aborted or completed."),
  NOT_IMPLEMENTED(501, "NotImplemented", "A header you provided implies functionality that is not implemented"),
  REQUEST_HEADER_SECTION_TOO_LARGE(
      400, "RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size."),
  PRECONDITION_FAILED(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"),
  REQUEST_TIME_TOO_SKEWED(
      403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."),
  /** A part the answer depends on (the controllers' directory of keys and buckets) cannot be reached; SDKs retry it. */
  SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "Service is unable to handle request."),
  SIGNATURE_DOES_NOT_MATCH(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your"
          + " key and signing method."),
  X_AMZ_CONTENT_SHA256_MISMATCH(
      400,
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.");

  private final int httpStatus;
  private final String code;
  private final String defaultMessage;

  S3Error(int httpStatus, String code, String defaultMessage) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  @Override
  public int httpStatus() {
    return httpStatus;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String defaultMessage() {
    return defaultMessage;
  }
}
