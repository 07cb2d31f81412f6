package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.api.http.RequestHead;
import dev.canopy.storage.backend.StorageErrors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one table of request headers that change what a client believes about its data (that it
 * is encrypted, locked, public, tagged, archived, billed to it), with the values Canopy honours.
 * Any other value is answered {@code 501 NotImplemented}, never stored as if honoured; applied to
 * every operation after authentication. Decisions:
 *
 * <ul>
 *   <li>{@code x-amz-storage-class}: {@code STANDARD} only, the one class Canopy stores. Some
 *       S3-compatible stores accept any class and report STANDARD; a client asking for GLACIER
 *       or ONEZONE_IA expects another price and durability, so it is told instead.
 *   <li>{@code x-amz-bucket-object-lock-enabled}: {@code false} only; everything else listed: never.
 *   <li>{@code x-amz-expected-bucket-owner} naming another account than the bucket's owner:
 *       {@code 403 AccessDenied}, as AWS answers ({@code x-amz-source-expected-bucket-owner} is
 *       the copy source's, checked with it: {@link AccessControl#checkCopySource}).
 * </ul>
 */
final class RequestHeaderRules {

  private record Rule(String name, boolean isPrefix, Predicate<String> honoured, String feature) {
    boolean appliesTo(String header) {
      return isPrefix ? header.startsWith(name) : header.equals(name);
    }
  }

  private static final Predicate<String> NEVER = value -> false;

  private static final List<Rule> RULES = List.of(
      new Rule("x-amz-server-side-encryption", true, NEVER, "server-side encryption"),
      new Rule("x-amz-copy-source-server-side-encryption", true, NEVER, "server-side encryption with customer keys"),
      new Rule("x-amz-object-lock-", true, NEVER, "object lock"),
      new Rule("x-amz-bucket-object-lock-enabled", false, "false"::equalsIgnoreCase, "object lock"),
      new Rule("x-amz-website-redirect-location", false, NEVER, "website redirects"),
      new Rule("x-amz-storage-class", false, "STANDARD"::equals, "storage classes other than STANDARD"),
      new Rule("x-amz-request-payer", false, NEVER, "requester pays"));

  private RequestHeaderRules() {}

  /** @param bucketOwner the addressed bucket's owner; null when the request addresses no existing bucket */
  static void check(RequestHead head, String bucketOwner) {
    for (Map.Entry<String, List<String>> header : head.headers().entrySet()) {
      for (Rule rule : RULES) {
        if (rule.appliesTo(header.getKey()) && !header.getValue().stream().map(String::trim).allMatch(rule.honoured())) {
          throw StorageErrors.notImplemented(header.getKey() + " (" + rule.feature() + ")");
        }
      }
    }
    String expectedOwner = head.header("x-amz-expected-bucket-owner").map(String::trim).orElse(null);
    if (expectedOwner != null && bucketOwner != null && !expectedOwner.equals(bucketOwner)) {
      throw S3Error.ACCESS_DENIED.exception();
    }
  }
}
