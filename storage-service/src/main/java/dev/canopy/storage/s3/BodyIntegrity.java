package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import java.util.Locale;

/**
 * The operations whose body S3 insists on an integrity check for (DeleteObjects, PutBucketCors,
 * PutObjectTagging, PutBucketTagging, PutBucketLifecycleConfiguration: botocore's
 * {@code requestChecksumRequired}).
 */
final class BodyIntegrity {

  private BodyIntegrity() {}

  /**
   * InvalidRequest unless the request carries Content-MD5, a trailer or an x-amz-checksum-*
   * header; the payload verifier then enforces the value.
   */
  static void require(S3Exchange ex) {
    boolean hasIntegrity = ex.header("Content-MD5") != null || ex.header("x-amz-trailer") != null
        || ex.request.headers().names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-"));
    if (!hasIntegrity) {
      throw S3Errors.invalidRequest("Missing required header for this request: Content-MD5");
    }
  }
}
