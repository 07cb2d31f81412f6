package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Object metadata as HTTP headers: read from PUT/POST requests, written on GET/HEAD answers. */
final class ObjectHeaders {

  static final String META_PREFIX = "x-amz-meta-";
  /** S3 limits user metadata (names plus values) to 2 KB. */
  static final int USER_METADATA_BYTES_MAX = 2048;
  private static final String CHECKSUM_PREFIX = "x-amz-checksum-";
  /** The query parameters whose values a GET or HEAD answer echoes as headers. */
  private static final List<String> RESPONSE_OVERRIDES = List.of("response-content-type", "response-content-encoding",
      "response-content-disposition", "response-cache-control", "response-content-language", "response-expires");

  private ObjectHeaders() {}

  static ObjectMetadata fromRequest(MultiMap headers) {
    Map<String, String> user = new TreeMap<>();
    int userBytes = 0;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
        String key = name.substring(META_PREFIX.length());
        user.merge(key, echoable(header.getKey(), header.getValue()), (a, b) -> a + "," + b);
        userBytes += key.getBytes(StandardCharsets.UTF_8).length + header.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (userBytes > USER_METADATA_BYTES_MAX) {
      throw new AwsException(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
    }
    return new ObjectMetadata(
        echoable("Content-Type", headers.get("Content-Type")),
        storedContentEncoding(echoable("Content-Encoding", headers.get("Content-Encoding"))),
        echoable("Content-Disposition", headers.get("Content-Disposition")),
        echoable("Cache-Control", headers.get("Cache-Control")),
        echoable("Content-Language", headers.get("Content-Language")),
        echoable("Expires", headers.get("Expires")),
        user);
  }

  /**
   * {@code aws-chunked} describes how this request's body was framed, not the object: S3 removes
   * it and keeps whatever the client layered under it (e.g. {@code gzip}).
   */
  static String storedContentEncoding(String header) {
    if (header == null) {
      return null;
    }
    String kept = Arrays.stream(header.split(","))
        .map(String::trim)
        .filter(token -> !token.isEmpty() && !token.equalsIgnoreCase("aws-chunked"))
        .collect(Collectors.joining(","));
    return kept.isEmpty() ? null : kept;
  }

  /**
   * The headers of a GET or HEAD answer. {@code response-*} query parameters override the stored
   * values, as S3 allows on signed requests. Checksums are sent only for whole-object answers
   * when asked for: a client validates them against the bytes it receives.
   */
  static void write(HttpServerResponse response, ObjectInfo info, QueryParams query, boolean withChecksums) {
    ObjectMetadata meta = info.metadata();
    put(response, "Content-Type", query.get("response-content-type").orElse(meta.contentType()));
    put(response, "Content-Encoding", query.get("response-content-encoding").orElse(meta.contentEncoding()));
    put(response, "Content-Disposition", query.get("response-content-disposition").orElse(meta.contentDisposition()));
    put(response, "Cache-Control", query.get("response-cache-control").orElse(meta.cacheControl()));
    put(response, "Content-Language", query.get("response-content-language").orElse(meta.contentLanguage()));
    put(response, "Expires", query.get("response-expires").orElse(meta.expires()));
    put(response, "ETag", S3Xml.quote(info.etag()));
    put(response, "Last-Modified", HttpDates.http(info.lastModified()));
    put(response, "Accept-Ranges", "bytes");
    put(response, VersionedObjects.VERSION_ID_HEADER, info.versionId());
    meta.userMetadata().forEach((name, value) -> put(response, META_PREFIX + name, value));
    if (!meta.tags().isEmpty()) {
      put(response, "x-amz-tagging-count", Integer.toString(meta.tags().size()));
    }
    if (withChecksums) {
      info.checksums().forEach((algorithm, value) -> put(response, CHECKSUM_PREFIX + algorithm, value));
      if (!info.checksums().isEmpty()) {
        put(response, "x-amz-checksum-type", "FULL_OBJECT");
      }
    }
  }

  /** Refuses {@code response-*} values that cannot be headers; before anything of the answer is written. */
  static void checkOverrides(QueryParams query) {
    RESPONSE_OVERRIDES.forEach(name -> query.get(name).ifPresent(value -> echoable(name, value)));
  }

  /** Echoes verified checksums on a PUT or UploadPart answer. */
  static void writeChecksums(HttpServerResponse response, Map<String, String> checksums) {
    checksums.forEach((algorithm, value) -> put(response, CHECKSUM_PREFIX + algorithm, value));
  }

  /**
   * A value the client chose that an answer will carry as a header. CR or LF would split the
   * header (Vert.x refuses to write one, which became a 500), NUL and other controls break
   * clients: refused as S3 does, with InvalidArgument. Tab is allowed, as in HTTP.
   */
  static String echoable(String name, String value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw S3Error.INVALID_ARGUMENT.exception(name + " must not contain control characters such as CR, LF or NUL");
      }
    }
    return value;
  }

  private static void put(HttpServerResponse response, String name, String value) {
    if (value != null) {
      response.putHeader(name, value);
    }
  }
}
