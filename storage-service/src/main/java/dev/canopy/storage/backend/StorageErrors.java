package dev.canopy.storage.backend;

import dev.canopy.api.error.AwsException;

/**
 * The S3 errors that object and bucket rules produce, with the status and code S3 uses. The S3
 * API renders them as {@code <Error>} documents; the backend throws them for conditions a client
 * caused (a missing key, a bad part list), never for bugs or I/O failures.
 */
public final class StorageErrors {

  private StorageErrors() {}

  public static AwsException noSuchKey() {
    return new AwsException(404, "NoSuchKey", "The specified key does not exist.");
  }

  public static AwsException noSuchBucket() {
    return new AwsException(404, "NoSuchBucket", "The specified bucket does not exist");
  }

  public static AwsException noSuchUpload() {
    return new AwsException(
        404,
        "NoSuchUpload",
        "The specified multipart upload does not exist. The upload ID might be invalid, or the"
            + " multipart upload might have been aborted or completed.");
  }

  public static AwsException invalidPart(String detail) {
    return new AwsException(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found. The part might not have been"
            + " uploaded, or the specified entity tag might not have matched the part's entity"
            + " tag. " + detail);
  }

  public static AwsException invalidPartOrder() {
    return new AwsException(
        400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
  }

  public static AwsException entityTooSmall() {
    return new AwsException(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
  }

  public static AwsException entityTooLarge() {
    return new AwsException(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
  }

  public static AwsException malformedXml() {
    return new AwsException(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema.");
  }

  public static AwsException invalidArgument(String message) {
    return new AwsException(400, "InvalidArgument", message);
  }

  public static AwsException invalidRequest(String message) {
    return new AwsException(400, "InvalidRequest", message);
  }

  public static AwsException invalidRange() {
    return new AwsException(416, "InvalidRange", "The requested range is not satisfiable");
  }

  public static AwsException accessDenied() {
    return new AwsException(403, "AccessDenied", "Access Denied");
  }

  public static AwsException notImplemented(String what) {
    return new AwsException(
        501, "NotImplemented", "A header or query you provided implies functionality that is not implemented: " + what);
  }
}
