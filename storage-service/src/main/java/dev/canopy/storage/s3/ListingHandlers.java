package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.UploadsPage;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjects (v1), ListObjectsV2 and ListMultipartUploads. */
final class ListingHandlers {

  /** Continuation tokens are opaque to clients; the version tag lets the format change. */
  private static final String TOKEN_PREFIX = "1:";

  private final ObjectBackend backend;

  ListingHandlers(ObjectBackend backend) {
    this.backend = backend;
  }

  Future<Void> listV2(S3Exchange ex) {
    QueryParams q = ex.query;
    String bucketId = ex.bucket().id();
    String token = q.get("continuation-token").orElse(null);
    String startAfter = q.get("start-after").orElse(null);
    // A continuation token wins over start-after: it is already past it.
    String after = token != null ? decodeToken(token) : startAfter == null ? "" : startAfter;
    ListQuery query = new ListQuery(q.getOrEmpty("prefix"), q.getOrEmpty("delimiter"), after, maxKeys(q, "max-keys"));
    ListXml.Request request = new ListXml.Request(
        ex.bucket().name(), query.prefix(), query.delimiter(), query.maxKeys(), urlEncoding(q), null, token, startAfter,
        "true".equals(q.getOrEmpty("fetch-owner")), ex.bucket().ownerAccountId());
    return ex.blocking(() -> backend.list(bucketId, query)).map(page -> {
      String next = page.truncated() ? encodeToken(page.lastItem()) : null;
      ex.sendXml(200, ListXml.v2(request, page, next));
      return null;
    });
  }

  Future<Void> listV1(S3Exchange ex) {
    QueryParams q = ex.query;
    String bucketId = ex.bucket().id();
    String marker = q.getOrEmpty("marker");
    ListQuery query = new ListQuery(q.getOrEmpty("prefix"), q.getOrEmpty("delimiter"), marker, maxKeys(q, "max-keys"));
    ListXml.Request request = new ListXml.Request(
        ex.bucket().name(), query.prefix(), query.delimiter(), query.maxKeys(), urlEncoding(q), marker, null, null, true,
        ex.bucket().ownerAccountId());
    return ex.blocking(() -> backend.list(bucketId, query)).map((ListPage page) -> {
      ex.sendXml(200, ListXml.v1(request, page));
      return null;
    });
  }

  Future<Void> listUploads(S3Exchange ex) {
    QueryParams q = ex.query;
    String bucketId = ex.bucket().id();
    String prefix = q.getOrEmpty("prefix");
    String delimiter = q.getOrEmpty("delimiter");
    String keyMarker = q.getOrEmpty("key-marker");
    String uploadIdMarker = q.getOrEmpty("upload-id-marker");
    int max = maxKeys(q, "max-uploads");
    ListXml.UploadsRequest request = new ListXml.UploadsRequest(
        ex.bucket().name(), prefix, delimiter, keyMarker, uploadIdMarker, max, urlEncoding(q), ex.bucket().ownerAccountId());
    return ex.blocking(() -> backend.listUploads(bucketId, prefix, delimiter, keyMarker, uploadIdMarker, max)).map((UploadsPage page) -> {
      ex.sendXml(200, ListXml.uploads(request, page));
      return null;
    });
  }

  /** S3 caps max-keys at 1000 silently and refuses negative or non-numeric values. */
  static int maxKeys(QueryParams q, String name) {
    String value = q.get(name).orElse(null);
    if (value == null) {
      return ListQuery.KEYS_PER_LISTING_MAX;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < 0) {
        throw S3Errors.invalidArgument("Argument " + name + " must be an integer between 0 and 2147483647");
      }
      return (int) Math.min(parsed, ListQuery.KEYS_PER_LISTING_MAX);
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument("Provided " + name + " not an integer or within integer range");
    }
  }

  static boolean urlEncoding(QueryParams q) {
    String value = q.get("encoding-type").orElse(null);
    if (value == null) {
      return false;
    }
    if (!value.equals("url")) {
      throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request");
    }
    return true;
  }

  static String encodeToken(String lastItem) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((TOKEN_PREFIX + lastItem).getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(TOKEN_PREFIX)) {
        return text.substring(TOKEN_PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // falls through to the S3 error below
    }
    throw S3Errors.invalidArgument("The continuation token provided is incorrect");
  }
}
