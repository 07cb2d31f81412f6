package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.Link;
import dev.canopy.storage.kv.riak.RiakRoute.ApiStyle;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored value's metadata on the wire, both ways: {@code Content-Type}, {@code Link},
 * {@code Etag}, {@code Last-Modified}, {@code X-Riak-Meta-*} and the causal context in
 * {@code X-Riak-Vclock}, spelled as Riak spells them.
 */
final class ObjectHeaders {

  static final String VCLOCK = "X-Riak-Vclock";
  static final String DELETED = "X-Riak-Deleted";
  static final String META_PREFIX = "X-Riak-Meta-";

  // Two-digit days: RFC_1123_DATE_TIME prints "Sat, 5 Dec", HTTP dates want "05" (RFC 9110).
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final Pattern BUCKET_LINK =
      Pattern.compile("</(?:buckets|riak)/([^/>]+)>; ?rel=\"([^\"]+)\"");
  private static final Pattern KEY_LINK =
      Pattern.compile("</(?:buckets/([^/>]+)/keys|riak/([^/>]+))/([^/>]+)>; ?riaktag=\"([^\"]+)\"");

  private ObjectHeaders() {}

  /** The headers of one value on a 200 (GET, HEAD, PUT with returnbody). */
  static void put(MultiMap headers, Content content, String bucket, ApiStyle style) {
    headers.set("Content-Type", content.contentType());
    headers.set("Link", links(content, bucket, style));
    headers.set("ETag", "\"" + content.vtag() + "\"");
    headers.set("Last-Modified", httpDate(content.lastModifiedMillis()));
    content.meta().forEach((name, value) -> headers.add(META_PREFIX + name, value));
    if (content.deleted()) {
      headers.set(DELETED, "true");
    }
  }

  /** The header block of one value as a part of a multipart/mixed body, as Riak writes it. */
  static String partHeaders(Content content, String bucket, ApiStyle style) {
    StringBuilder part = new StringBuilder()
        .append("Content-Type: ").append(content.contentType()).append("\r\n")
        .append("Link: ").append(links(content, bucket, style)).append("\r\n")
        .append("Etag: ").append(content.vtag()).append("\r\n")
        .append("Last-Modified: ").append(httpDate(content.lastModifiedMillis())).append("\r\n");
    if (content.deleted()) {
      part.append(DELETED).append(": true\r\n");
    }
    content.meta().forEach((name, value) -> part.append(META_PREFIX).append(name).append(": ").append(value).append("\r\n"));
    return part.toString();
  }

  /** The object's links and the one to its bucket ({@code rel="up"}), in one header value. */
  static String links(Content content, String bucket, ApiStyle style) {
    List<String> values = new ArrayList<>();
    for (Link link : content.links()) {
      values.add("<" + style.objectPath(link.bucket(), link.key()) + ">; riaktag=\"" + RiakRoute.encode(link.tag()) + "\"");
    }
    values.add("<" + style.bucketPath(bucket) + ">; rel=\"up\"");
    return String.join(", ", values);
  }

  /**
   * The links a client sends in its {@code Link} header(s). Riak's forms only: a key link with a
   * riaktag, or the link up to the object's own bucket (which is implied and dropped).
   */
  static List<Link> parseLinks(List<String> headerValues, String bucket) {
    List<Link> links = new ArrayList<>();
    for (String headerValue : headerValues) {
      for (String one : headerValue.split(",")) {
        String value = one.trim();
        if (value.isEmpty()) {
          continue;
        }
        Matcher key = KEY_LINK.matcher(value);
        Matcher up = BUCKET_LINK.matcher(value);
        if (key.matches()) {
          String linkBucket = key.group(1) != null ? key.group(1) : key.group(2);
          links.add(new Link(RiakRoute.decode(linkBucket), RiakRoute.decode(key.group(3)), RiakRoute.decode(key.group(4))));
        } else if (!(up.matches() && RiakRoute.decode(up.group(1)).equals(bucket) && up.group(2).equals("up"))) {
          throw RiakProblem.badRequest("Invalid Link header. Links must be of the form\n"
              + "</buckets/BUCKET/keys/KEY>; riaktag=\"TAG\"\n");
        }
      }
    }
    return links;
  }

  /** The {@code X-Riak-Meta-*} headers of a request, without the prefix, as the client cased them. */
  static Map<String, String> meta(MultiMap headers) {
    Map<String, String> meta = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.regionMatches(true, 0, META_PREFIX, 0, META_PREFIX.length()) && name.length() > META_PREFIX.length()) {
        meta.merge(name.substring(META_PREFIX.length()), header.getValue(), (a, b) -> a + ", " + b);
      }
    }
    return meta;
  }

  static String vclock(byte[] context) {
    return Base64.getEncoder().encodeToString(context);
  }

  /** The context a client sent back; none (a blind write) when absent; 400 when not base64. */
  static byte[] context(String header) {
    if (header == null || header.isBlank()) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(header.trim());
    } catch (IllegalArgumentException e) {
      throw RiakProblem.badRequest("X-Riak-Vclock is not a base64-encoded vector clock\n");
    }
  }

  static String httpDate(long millis) {
    return HTTP_DATE.format(Instant.ofEpochMilli(millis));
  }

  /** An HTTP date in seconds since the epoch; empty when absent or unparseable (such a header is ignored). */
  static Optional<Long> parseHttpDateSeconds(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim())).getEpochSecond());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
