package dev.canopy.api.auth;

import dev.canopy.api.http.UriEncoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the SigV4 canonical request and string to sign. Shared by {@link SigV4Verifier} and
 * {@link SigV4Signer} so the two can never disagree. Pure functions of their arguments.
 */
final class CanonicalRequest {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String SIGNATURE_PARAM = "X-Amz-Signature";

  /** The one service whose paths are signed as sent rather than normalised and re-encoded. */
  static final String S3_SERVICE = "s3";

  private CanonicalRequest() {}

  /**
   * The canonical URI. S3 signs the path exactly as sent (already encoded once, never
   * normalised: "a/../b" and "a//b" are distinct keys). Every other service signs the path with
   * dot segments and empty segments removed, then URI-encoded a second time.
   */
  static String uri(String rawPath, boolean s3) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    if (s3) {
      return rawPath;
    }
    return UriEncoding.encodeBytes(normalizePath(rawPath).getBytes(StandardCharsets.UTF_8), true);
  }

  /**
   * The other spelling of an S3 path that S3 accepts a signature over: the decoded path encoded
   * again the SigV4 way, slashes kept. The AWS SDK for Java v2 signs a key "a//b" as "/a//b" but
   * sends "/a/%2Fb" so that no HTTP layer collapses the slashes; both name the same key. Empty
   * when the path is already in that form (or cannot be decoded).
   */
  static Optional<String> s3ReencodedUri(String rawPath) {
    if (rawPath == null || rawPath.indexOf('%') < 0) {
      return Optional.empty();
    }
    String reencoded;
    try {
      reencoded = UriEncoding.encodeBytes(UriEncoding.decodeToBytes(rawPath, false), true);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return reencoded.equals(rawPath) ? Optional.empty() : Optional.of(reencoded);
  }

  /**
   * RFC 3986 remove_dot_segments, and also drops empty segments as AWS services do; a trailing
   * slash survives.
   */
  static String normalizePath(String path) {
    Deque<String> out = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(segment);
      }
    }
    StringBuilder sb = new StringBuilder(path.length());
    sb.append(path.startsWith("/") ? "/" : "");
    sb.append(String.join("/", out));
    if (path.endsWith("/") && !out.isEmpty()) {
      sb.append('/');
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /**
   * The canonical query string: every parameter decoded from the wire and re-encoded with
   * {@link UriEncoding}, sorted by name then value. '+' stays a literal plus (S3 clients encode
   * spaces as %20; a form body is not part of the query anyway).
   *
   * @param dropSignature true for presigned URLs, whose X-Amz-Signature is not signed
   * @throws IllegalArgumentException on a broken percent-escape
   */
  static String query(String rawQuery, boolean dropSignature) {
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<String, String> raw : UriEncoding.splitRaw(rawQuery)) {
      byte[] name = UriEncoding.decodeToBytes(raw.getKey(), false);
      if (dropSignature && new String(name, StandardCharsets.UTF_8).equals(SIGNATURE_PARAM)) {
        continue;
      }
      byte[] value = UriEncoding.decodeToBytes(raw.getValue(), false);
      pairs.add(
          new String[] {UriEncoding.encodeBytes(name, false), UriEncoding.encodeBytes(value, false)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder sb = new StringBuilder();
    for (String[] pair : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(pair[0]).append('=').append(pair[1]);
    }
    return sb.toString();
  }

  /**
   * The canonical headers block: one {@code name:value\n} line per signed header, in the order
   * given, values trimmed with inner whitespace runs collapsed, repeated headers joined by ','.
   * A signed header the request lacks signs as an empty value (the signature then fails).
   */
  static String headers(List<String> signedHeaders, Map<String, List<String>> headers) {
    StringBuilder sb = new StringBuilder(256);
    for (String name : signedHeaders) {
      sb.append(name).append(':');
      List<String> values = headers.getOrDefault(name, List.of());
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendTrimmed(sb, values.get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String build(
      String method,
      String canonicalUri,
      String canonicalQuery,
      String canonicalHeaders,
      List<String> signedHeaders,
      String payloadHash) {
    return method
        + '\n'
        + canonicalUri
        + '\n'
        + canonicalQuery
        + '\n'
        + canonicalHeaders
        + '\n'
        + String.join(";", signedHeaders)
        + '\n'
        + payloadHash;
  }

  static String stringToSign(String amzDate, CredentialScope scope, String canonicalRequest) {
    return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + Crypto.sha256Hex(canonicalRequest);
  }

  /** HMAC of the string to sign with the signing key, in lower-case hex. */
  static String signature(byte[] signingKey, String stringToSign) {
    return Crypto.HEX.formatHex(Crypto.hmacSha256(signingKey, stringToSign));
  }

  private static void appendTrimmed(StringBuilder sb, String value) {
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
        pendingSpace = started;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.append(c);
        started = true;
      }
    }
  }
}
