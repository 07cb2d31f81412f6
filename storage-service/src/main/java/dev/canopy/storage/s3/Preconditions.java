package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.WriteCondition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Conditional GET and HEAD (RFC 9110 §13.2.2 order, as S3 applies it): If-Match, else
 * If-Unmodified-Since, can fail with 412; then If-None-Match, else If-Modified-Since, can answer
 * 304. Conditional writes (PutObject, CompleteMultipartUpload) read the same two ETag headers into
 * a {@link WriteCondition} that the backend checks when it commits.
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

  /**
   * CopyObject's {@code x-amz-copy-source-if-*} headers against the source version: the same
   * rules as a conditional GET, except that a copy has no 304, so every failed condition is 412.
   */
  static void checkCopySource(
      String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince, ObjectInfo source) {
    if (evaluate(ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, source.etag(), source.lastModified())
        != Outcome.PROCEED) {
      throw S3Errors.preconditionFailed();
    }
  }

  /** True when a comma-separated ETag list (or "*") names this ETag. */
  static boolean matches(String list, String etag) {
    List<String> etags = etagList(list);
    return etags.contains("*") || etags.contains(etag);
  }

  /**
   * The condition of a PUT or a completion. S3 takes only "*" in If-None-Match on a write (create
   * if absent); any other value asks for something it does not do.
   */
  static WriteCondition forWrite(String ifMatch, String ifNoneMatch) {
    boolean onlyIfAbsent = false;
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw StorageErrors.notImplemented("If-None-Match on a write takes only '*'");
      }
      onlyIfAbsent = true;
    }
    return new WriteCondition(onlyIfAbsent, ifMatch == null ? List.of() : etagList(ifMatch));
  }

  /** A comma-separated ETag list, each unquoted and lower case; "*" kept as is. */
  private static List<String> etagList(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(value -> !value.isEmpty())
        .map(value -> value.equals("*") ? value : MultipartRules.normalizeEtag(value))
        .toList();
  }
}
