package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.UriEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which bucket and key a request addresses: virtual-host style when the Host is a sub-domain of
 * the configured base domain ({@code bucket.s3.example:8779}), path style otherwise
 * ({@code /bucket/key}).
 *
 * @param bucket null for the service (ListBuckets)
 * @param key null when the request addresses the bucket itself
 */
record RequestTarget(String bucket, String key) {

  /** S3's limit on an object key: 1024 bytes of its UTF-8 encoding (not characters). */
  static final int KEY_BYTES_MAX = 1024;

  /** Parses the target; a key longer than {@link #KEY_BYTES_MAX} is KeyTooLongError, whatever the operation. */
  static RequestTarget parse(String hostHeader, String rawPath, String baseDomain) {
    RequestTarget target = parseUnchecked(hostHeader, rawPath, baseDomain);
    if (target.key() != null && target.key().getBytes(StandardCharsets.UTF_8).length > KEY_BYTES_MAX) {
      throw S3Errors.keyTooLong();
    }
    return target;
  }

  private static RequestTarget parseUnchecked(String hostHeader, String rawPath, String baseDomain) {
    String host = hostWithoutPort(hostHeader == null ? "" : hostHeader).toLowerCase(Locale.ROOT);
    String path = rawPath.isEmpty() ? "/" : rawPath;
    if (!path.startsWith("/") || !isAscii(path)) {
      throw invalidUri();
    }
    if (!baseDomain.isEmpty() && host.endsWith("." + baseDomain) && host.length() > baseDomain.length() + 1) {
      String bucket = host.substring(0, host.length() - baseDomain.length() - 1);
      String key = decodePath(path.substring(1));
      return new RequestTarget(bucket, key.isEmpty() ? null : key);
    }
    String rest = path.substring(1);
    if (rest.isEmpty()) {
      return new RequestTarget(null, null);
    }
    int slash = rest.indexOf('/');
    String bucket = decodePath(slash < 0 ? rest : rest.substring(0, slash));
    String key = slash < 0 ? "" : decodePath(rest.substring(slash + 1));
    return new RequestTarget(bucket, key.isEmpty() ? null : key);
  }

  /**
   * A request line carries bytes, which the HTTP decoder turns into characters one by one: a raw
   * byte above 0x7F arrives as the character of that value, not as part of a UTF-8 sequence, so a
   * lone FF would name the key an SDK spells %C3%BF. Such bytes must come percent-encoded, as
   * RFC 3986 requires.
   */
  private static boolean isAscii(String raw) {
    return raw.chars().allMatch(c -> c < 0x80);
  }

  static String hostWithoutPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /**
   * Percent-decodes a path segment as UTF-8; unlike form decoding, '+' stays '+'. Raw non-ASCII
   * characters are InvalidURI (see {@link #isAscii}). Escapes that
   * are not UTF-8 are InvalidURI: replacing them (with U+FFFD) would file different byte
   * sequences under one key.
   */
  static String decodePath(String raw) {
    if (!isAscii(raw)) {
      throw invalidUri(); // also x-amz-copy-source, whose header bytes arrive the same way
    }
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(UriEncoding.decodeToBytes(raw, false)))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw invalidUri();
    }
  }

  static AwsException invalidUri() {
    return new AwsException(400, "InvalidURI", "Couldn't parse the specified URI.");
  }

  /** The S3 resource name for error documents: {@code /bucket/key}. */
  String resource() {
    if (bucket == null) {
      return "/";
    }
    return "/" + bucket + (key == null ? "" : "/" + key);
  }
}
