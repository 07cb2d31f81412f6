package dev.canopy.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a request claims about its own signature, parsed from the Authorization header or from
 * presigned query parameters, not yet checked.
 *
 * @param presigned true for a presigned URL
 * @param accessKeyId the access key of the credential
 * @param scope the credential scope as the client wrote it
 * @param signedHeaders lower-case names, in the order the client listed them
 * @param signature hex signature as sent
 * @param requestTime when the client says it signed
 * @param expires X-Amz-Expires of a presigned URL
 */
record SignatureInput(
    boolean presigned,
    String accessKeyId,
    CredentialScope scope,
    String scopeTerminator,
    List<String> signedHeaders,
    String signature,
    Instant requestTime,
    Optional<Duration> expires) {

  /** The request time as it appears in the string to sign. */
  String amzDate() {
    return AmzDates.formatAmzDate(requestTime);
  }
}
