package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.api.http.RequestHead;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that change what a request does are honoured only when its signature covers them, as
 * S3 answers. A presigned URL signs little more than its host: without this rule, whoever holds a
 * presigned PUT could add {@code x-amz-copy-source} and turn an upload into a copy of any other
 * object of the signer's, or add metadata, checksums or ACLs the signer never chose. The same
 * holds for a header-signed request that a proxy or a man in the middle extends.
 *
 * <p>Headers outside these (User-Agent, Expect, Content-Length, tracing headers) may stay unsigned:
 * SDKs leave some of them out of the signature on purpose.
 */
final class UnsignedHeaders {

  /** S3's own words; clients show them to users. */
  static final String MESSAGE = "There were headers present in the request which were not signed";

  private static final List<String> PREFIXES = List.of(
      "x-amz-copy-source", "x-amz-grant-", "x-amz-server-side-encryption", "x-amz-object-lock-", "x-amz-meta-",
      "x-amz-checksum-");
  private static final Set<String> NAMES = Set.of(
      "x-amz-acl", "x-amz-tagging", "x-amz-tagging-directive", "x-amz-metadata-directive", "x-amz-storage-class",
      "x-amz-website-redirect-location", "content-md5");

  private UnsignedHeaders() {}

  /** @throws dev.canopy.api.error.AwsException AccessDenied naming the first such header not signed */
  static void check(RequestHead head, List<String> signedHeaders) {
    for (String name : head.headers().keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (mustBeSigned(lower) && !signedHeaders.contains(lower)) {
        throw S3Error.ACCESS_DENIED.exception(MESSAGE);
      }
    }
  }

  static boolean mustBeSigned(String lowerCaseName) {
    return NAMES.contains(lowerCaseName) || PREFIXES.stream().anyMatch(lowerCaseName::startsWith);
  }
}
