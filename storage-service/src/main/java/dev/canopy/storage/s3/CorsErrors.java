package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;

/** S3's CORS errors, with the codes, statuses and messages AWS answers. */
final class CorsErrors {

  private CorsErrors() {}

  static AwsException noSuchConfiguration() {
    return new AwsException(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist");
  }

  static AwsException missingOrigin() {
    return new AwsException(400, "BadRequest", "Insufficient information. Origin request header needed.");
  }

  static AwsException invalidRequestMethod(String method) {
    return new AwsException(400, "BadRequest", "Invalid Access-Control-Request-Method: " + method);
  }

  static AwsException bucketNotFound() {
    return new AwsException(403, "AccessForbidden", "CORSResponse: Bucket not found");
  }

  static AwsException notEnabled() {
    return new AwsException(403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
  }

  static AwsException notAllowed() {
    return new AwsException(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually"
        + " because the evalution of Origin, request method / Access-Control-Request-Method or"
        + " Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
  }
}
