package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import dev.canopy.api.http.UriEncoding;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses the Authorization header or the presigned X-Amz-* query parameters into a {@link
 * SignatureInput}. Checks syntax only; whether the scope, time and signature are right is for
 * {@link SigV4Verifier}.
 */
final class AuthorizationParser {

  /** A week: the longest X-Amz-Expires AWS accepts. */
  static final long EXPIRES_SECONDS_MAX = 604_800;

  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SCOPE_DATE = Pattern.compile("[0-9]{8}");
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
  private static final List<String> PRESIGN_PARAMS =
      List.of(
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          CanonicalRequest.SIGNATURE_PARAM);

  private AuthorizationParser() {}

  /**
   * @throws AuthException MISSING when the request carries neither form; MALFORMED when it
   *     carries one that cannot be parsed, or both
   */
  static SignatureInput parse(RequestHead head) throws AuthException {
    Optional<String> authorization = head.header("authorization");
    Map<String, String> presign = presignParams(head.rawQuery());
    // X-Amz-Date alone may be an ordinary parameter; these three only ever mean a presigned URL.
    boolean presigned =
        presign.containsKey("X-Amz-Credential")
            || presign.containsKey("X-Amz-Algorithm")
            || presign.containsKey(CanonicalRequest.SIGNATURE_PARAM);
    if (authorization.isPresent() && presigned) {
      throw malformed(false, "only one auth mechanism allowed: Authorization header or presigned URL");
    }
    if (authorization.isPresent()) {
      return parseHeader(authorization.get(), head);
    }
    if (presigned) {
      return parsePresigned(presign);
    }
    throw new AuthException(Kind.MISSING, "the request is not signed");
  }

  private static SignatureInput parseHeader(String value, RequestHead head) throws AuthException {
    String trimmed = value.trim();
    int space = trimmed.indexOf(' ');
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    if (!algorithm.equals(CanonicalRequest.ALGORITHM)) {
      throw new AuthException(
          Kind.MALFORMED,
          Detail.UNSUPPORTED_ALGORITHM,
          false,
          "unsupported authorization type; use " + CanonicalRequest.ALGORITHM);
    }
    Map<String, String> fields = new HashMap<>();
    for (String part : trimmed.substring(space + 1).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || fields.put(p.substring(0, eq), p.substring(eq + 1).trim()) != null) {
        throw malformed(false, "cannot parse the authorization header near '" + clip(p) + "'");
      }
    }
    String credential = required(fields, "Credential", false);
    String signedHeaders = required(fields, "SignedHeaders", false);
    String signature = required(fields, "Signature", false);
    Instant time = headerTime(head);
    return build(false, credential, signedHeaders, signature, time, Optional.empty());
  }

  private static SignatureInput parsePresigned(Map<String, String> params) throws AuthException {
    for (String name : PRESIGN_PARAMS) {
      required(params, name, true);
    }
    String algorithm = params.get("X-Amz-Algorithm");
    if (!algorithm.equals(CanonicalRequest.ALGORITHM)) {
      throw new AuthException(
          Kind.MALFORMED,
          Detail.UNSUPPORTED_ALGORITHM,
          true,
          "X-Amz-Algorithm only supports \"" + CanonicalRequest.ALGORITHM + "\"");
    }
    Instant time =
        AmzDates.parseAmzDate(params.get("X-Amz-Date"))
            .orElseThrow(
                () ->
                    new AuthException(
                        Kind.MALFORMED,
                        Detail.MISSING_DATE,
                        true,
                        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
    long expires;
    try {
      expires = Long.parseLong(params.get("X-Amz-Expires"));
    } catch (NumberFormatException e) {
      throw malformed(true, "X-Amz-Expires should be a number");
    }
    if (expires < 1) {
      throw malformed(true, "X-Amz-Expires must be non-negative");
    }
    if (expires > EXPIRES_SECONDS_MAX) {
      throw malformed(
          true, "X-Amz-Expires must be less than a week (in seconds) that is " + EXPIRES_SECONDS_MAX);
    }
    return build(
        true,
        params.get("X-Amz-Credential"),
        params.get("X-Amz-SignedHeaders"),
        params.get(CanonicalRequest.SIGNATURE_PARAM),
        time,
        Optional.of(Duration.ofSeconds(expires)));
  }

  private static SignatureInput build(
      boolean presigned,
      String credential,
      String signedHeadersField,
      String signature,
      Instant time,
      Optional<Duration> expires)
      throws AuthException {
    // AKID/yyyyMMdd/region/service/aws4_request; the key id itself never contains '/'.
    String[] parts = credential.split("/", -1);
    if (parts.length != 5 || parts[0].isEmpty() || !SCOPE_DATE.matcher(parts[1]).matches()) {
      throw malformed(
          presigned, "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
    }
    if (!HEX_SIGNATURE.matcher(signature).matches()) {
      throw malformed(presigned, "the Signature must be 64 hex characters");
    }
    List<String> signedHeaders = List.of(signedHeadersField.split(";", -1));
    for (String name : signedHeaders) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw malformed(presigned, "invalid SignedHeaders entry '" + clip(name) + "'");
      }
    }
    if (!signedHeaders.contains("host")) {
      throw malformed(presigned, "SignedHeaders must include host");
    }
    return new SignatureInput(
        presigned,
        parts[0],
        new CredentialScope(parts[1], parts[2], parts[3]),
        parts[4],
        signedHeaders,
        signature,
        time,
        expires);
  }

  /** x-amz-date when present (it wins), else the Date header. */
  private static Instant headerTime(RequestHead head) throws AuthException {
    Optional<String> amzDate = head.header("x-amz-date");
    Optional<Instant> time =
        amzDate.isPresent()
            ? AmzDates.parseAmzDate(amzDate.get().trim())
            : head.header("date").flatMap(AmzDates::parseHttpDate);
    return time.orElseThrow(
        () ->
            new AuthException(
                Kind.MALFORMED,
                Detail.MISSING_DATE,
                false,
                "AWS authentication requires a valid Date or x-amz-date header"));
  }

  /** The X-Amz-* auth parameters of the query, decoded; empty map when it has none. */
  private static Map<String, String> presignParams(String rawQuery) throws AuthException {
    Map<String, String> found = new HashMap<>();
    for (Map.Entry<String, String> raw : UriEncoding.splitRaw(rawQuery)) {
      String name;
      String value;
      try {
        name = UriEncoding.decode(raw.getKey(), false);
        if (!PRESIGN_PARAMS.contains(name)) {
          continue;
        }
        value = UriEncoding.decode(raw.getValue(), false);
      } catch (IllegalArgumentException e) {
        continue; // building the canonical query reports broken escapes
      }
      if (found.put(name, value) != null) {
        throw malformed(true, name + " appears more than once");
      }
    }
    return found;
  }

  private static String required(Map<String, String> fields, String name, boolean presigned)
      throws AuthException {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      throw malformed(
          presigned,
          presigned
              ? "Query-string authentication version 4 requires the X-Amz-Algorithm,"
                  + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders,"
                  + " and X-Amz-Expires parameters."
              : "missing " + name);
    }
    return v;
  }

  static AuthException malformed(boolean presigned, String message) {
    return new AuthException(Kind.MALFORMED, Detail.NONE, presigned, message);
  }

  /** Keeps client-supplied text in messages short and on one line. */
  private static String clip(String s) {
    String one = s.replaceAll("[\\r\\n]", " ");
    return one.length() > 40 ? one.substring(0, 40) + "..." : one;
  }
}
