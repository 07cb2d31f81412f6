package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import java.util.Locale;

/**
 * The operations whose body S3 insists on an integrity check for (DeleteObjects, PutObjectTagging,
 * PutBucketTagging, PutBucketLifecycleConfiguration: botocore's {@code requestChecksumRequired}):
 * a Content-MD5, a checksum header or a trailing checksum must come with it. The payload verifier
 * checks the value; this only refuses a body that carries none.
 */
final class IntegrityHeaders {

  private IntegrityHeaders() {}

  static void require(S3Exchange ex) {
    boolean present = ex.header("Content-MD5") != null
        || ex.header("x-amz-trailer") != null
        || ex.request.headers().names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-"));
    if (!present) {
      throw S3Errors.invalidRequest("Missing required header for this request: Content-MD5");
    }
  }
}
