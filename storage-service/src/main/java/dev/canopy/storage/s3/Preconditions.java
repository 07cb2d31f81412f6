package dev.canopy.storage.s3;

import dev.canopy.storage.backend.MultipartRules;
import java.time.Instant;
import java.util.Optional;

/**
 * Conditional GET and HEAD (RFC 9110 §13.2.2 order, as S3 applies it): If-Match, else
 * If-Unmodified-Since, can fail with 412; then If-None-Match, else If-Modified-Since, can answer
 * 304.
 */
final class Preconditions {

  /** The status to answer with instead of the object, if any. */
  enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

  private Preconditions() {}

  static Outcome evaluate(
      String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
      String etag, Instant lastModified) {
    Instant modified = HttpDates.seconds(lastModified);
    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else {
      Optional<Instant> since = HttpDates.parseHttp(ifUnmodifiedSince);
      if (since.isPresent() && modified.isAfter(since.get())) {
        return Outcome.PRECONDITION_FAILED;
      }
    }
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, etag)) {
        return Outcome.NOT_MODIFIED;
      }
    } else {
      Optional<Instant> since = HttpDates.parseHttp(ifModifiedSince);
      if (since.isPresent() && !modified.isAfter(since.get())) {
        return Outcome.NOT_MODIFIED;
      }
    }
    return Outcome.PROCEED;
  }

  /** True when a comma-separated ETag list (or "*") names this ETag. */
  static boolean matches(String list, String etag) {
    for (String candidate : list.split(",")) {
      String value = candidate.trim();
      if (value.equals("*") || MultipartRules.normalizeEtag(value).equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
