package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  private ObjectHeaders() {}

  static ObjectMetadata fromRequest(MultiMap headers) {
    Map<String, String> user = new TreeMap<>();
    int userBytes = 0;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
        String key = name.substring(META_PREFIX.length());
        user.merge(key, header.getValue(), (a, b) -> a + "," + b);
        userBytes += key.getBytes(StandardCharsets.UTF_8).length + header.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (userBytes > USER_METADATA_BYTES_MAX) {
      throw new AwsException(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
    }
    return new ObjectMetadata(
        headers.get("Content-Type"),
        storedContentEncoding(headers.get("Content-Encoding")),
        headers.get("Content-Disposition"),
        headers.get("Cache-Control"),
        headers.get("Content-Language"),
        headers.get("Expires"),
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
    meta.userMetadata().forEach((name, value) -> put(response, META_PREFIX + name, value));
    if (withChecksums) {
      info.checksums().forEach((algorithm, value) -> put(response, CHECKSUM_PREFIX + algorithm, value));
      if (!info.checksums().isEmpty()) {
        put(response, "x-amz-checksum-type", "FULL_OBJECT");
      }
    }
  }

  /** Echoes verified checksums on a PUT or UploadPart answer. */
  static void writeChecksums(HttpServerResponse response, Map<String, String> checksums) {
    checksums.forEach((algorithm, value) -> put(response, CHECKSUM_PREFIX + algorithm, value));
  }

  private static void put(HttpServerResponse response, String name, String value) {
    if (value != null) {
      response.putHeader(name, value);
    }
  }
}
