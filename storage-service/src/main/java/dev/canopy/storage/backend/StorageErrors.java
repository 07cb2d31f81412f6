package dev.canopy.storage.backend;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;

/**
 * The S3 errors whose message the storage service words its own way; every other error comes
 * from api-compat's {@link dev.canopy.api.error.S3Errors} with S3's default message. The S3 API
 * renders them as {@code <Error>} documents; the backend throws them for conditions a client
 * caused (a missing key, a bad part list), never for bugs or I/O failures.
 */
public final class StorageErrors {

  private StorageErrors() {}

  public static AwsException noSuchUpload() {
    return S3Error.NO_SUCH_UPLOAD.exception(
        "The specified multipart upload does not exist. The upload ID might be invalid, or the"
            + " multipart upload might have been aborted or completed.");
  }

  public static AwsException invalidPart(String detail) {
    return S3Error.INVALID_PART.exception(
        "One or more of the specified parts could not be found. The part might not have been"
            + " uploaded, or the specified entity tag might not have matched the part's entity"
            + " tag. " + detail);
  }

  public static AwsException malformedXml() {
    return S3Error.MALFORMED_XML.exception(
        "The XML you provided was not well-formed or did not validate against our published schema.");
  }

  public static AwsException noSuchVersion() {
    return new AwsException(404, "NoSuchVersion", "The specified version does not exist.");
  }

  public static AwsException invalidVersionId() {
    return S3Error.INVALID_ARGUMENT.exception("Invalid version id specified");
  }

  public static AwsException notImplemented(String what) {
    return S3Error.NOT_IMPLEMENTED.exception(
        "A header or query you provided implies functionality that is not implemented: " + what);
  }
}
