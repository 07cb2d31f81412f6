package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import dev.canopy.api.http.UriEncoding;
import dev.canopy.api.query.QueryParams;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 2 on Query requests (EC2 as euca2ools, boto 2 and botocore's
 * {@code SigV2Auth} sign it). The auth parameters travel with the action's own parameters, in the
 * query string of a GET or the form body of a POST:
 *
 * <pre>
 * string to sign = METHOD \n lower-case Host header \n path ("/" when empty) \n canonical query
 * canonical query = every parameter but Signature, sorted by the bytes of its name,
 *                   name and value RFC 3986-encoded, joined with '&amp;'
 * Signature       = base64(HMAC-SHA256 or HMAC-SHA1 of the string to sign, keyed by the secret)
 * </pre>
 *
 * <p>Checks run in the same order as {@link SigV4Verifier}'s: syntax (MALFORMED, or a {@link
 * ParameterException} for what EC2 answers as a parameter error), time (TIME_SKEWED, EXPIRED),
 * access key (UNKNOWN_ACCESS_KEY), signature (SIGNATURE_MISMATCH). The signature comparison is
 * constant time. Thread safe; one instance per endpoint.
 */
public final class SigV2Verifier {

  static final String ACCESS_KEY_PARAM = "AWSAccessKeyId";
  static final String VERSION_PARAM = "SignatureVersion";
  static final String METHOD_PARAM = "SignatureMethod";
  static final String TIMESTAMP_PARAM = "Timestamp";
  static final String EXPIRES_PARAM = "Expires";
  static final String SIGNATURE_PARAM = "Signature";

  /** Parameters that must not repeat: a second value would be signed but maybe not read. */
  private static final Set<String> AUTH_PARAMS =
      Set.of(ACCESS_KEY_PARAM, VERSION_PARAM, METHOD_PARAM, TIMESTAMP_PARAM, EXPIRES_PARAM, SIGNATURE_PARAM);

  /** SigV4 presign parameters: their presence means the request is not SigV2, whatever else it carries. */
  private static final Set<String> SIGV4_PARAMS =
      Set.of("X-Amz-Algorithm", "X-Amz-Credential", CanonicalRequest.SIGNATURE_PARAM);


  /** Longer than any ISO 8601 instant; keeps the parser off arbitrarily long input. */
  private static final int TIME_LENGTH_MAX = 64;

  /** The two SignatureMethod values SigV2 defines, by their JCA names (which are the same). */
  private static final Set<String> METHODS = Set.of("HmacSHA256", "HmacSHA1");

  /**
   * A SigV2 parameter is missing, malformed or combined with one it excludes. EC2 answers these
   * with the ordinary Query parameter errors, not with an authentication error.
   */
  public static final class ParameterException extends Exception {

    /** Which Query parameter error this is. */
    public enum Problem {
      MISSING_PARAMETER,
      INVALID_PARAMETER_VALUE,
      INVALID_PARAMETER_COMBINATION
    }

    private final Problem problem;

    ParameterException(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  private final CredentialLookup credentials;
  private final InstantSource clock;
  private final Duration maxSkew;

  public SigV2Verifier(CredentialLookup credentials, InstantSource clock, Duration maxSkew) {
    this.credentials = Objects.requireNonNull(credentials);
    this.clock = Objects.requireNonNull(clock);
    this.maxSkew = Objects.requireNonNull(maxSkew);
  }

  /** A SigV2 verifier with the same credentials, clock and skew window as an endpoint's SigV4 one. */
  public static SigV2Verifier alongside(SigV4Verifier sigV4) {
    return new SigV2Verifier(sigV4.credentials(), sigV4.clock(), sigV4.maxSkew());
  }

  /**
   * Whether a Query request is signed the pre-SigV4 way: its parameters (the query string of a
   * GET, the form body of a POST) name an AWSAccessKeyId, and it carries neither an Authorization
   * header nor SigV4 presign parameters. Version 0 and 1 requests count too, so that {@link
   * #verify} can refuse them as EC2 does instead of calling them unsigned.
   */
  public static boolean appliesTo(RequestHead head, byte[] body) {
    if (head.header("authorization").isPresent()) {
      return false;
    }
    for (Map.Entry<String, String> raw : UriEncoding.splitRaw(head.rawQuery())) {
      if (SIGV4_PARAMS.contains(decodeOrNull(raw.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, String> raw : UriEncoding.splitRaw(paramSource(head, body))) {
      if (ACCESS_KEY_PARAM.equals(decodeOrNull(raw.getKey()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Verifies a SigV2-signed Query request whose body is in memory.
   *
   * @throws AuthException MISSING without an AWSAccessKeyId; MALFORMED when the signature cannot
   *     be checked at all (no Signature, no Host, a repeated auth parameter, a broken escape);
   *     SIGNATURE_MISMATCH also for a SignatureVersion other than 2, which EC2 answers with
   *     AuthFailure
   * @throws ParameterException for a missing SignatureVersion, SignatureMethod or time, an
   *     unknown SignatureMethod, an unparseable time, or both Timestamp and Expires
   */
  public Principal verify(RequestHead head, byte[] body) throws AuthException, ParameterException {
    List<Map.Entry<String, String>> params = decodedParams(paramSource(head, body));
    Map<String, String> auth = authParams(params);
    String accessKeyId = auth.get(ACCESS_KEY_PARAM);
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      throw new AuthException(Kind.MISSING, "the request is not signed");
    }
    String version = required(auth, VERSION_PARAM);
    if (!version.equals("2")) {
      // EC2 answers signature versions it no longer accepts with AuthFailure, as for a bad signature.
      throw new AuthException(
          Kind.SIGNATURE_MISMATCH,
          AuthException.Detail.UNSUPPORTED_ALGORITHM,
          false,
          "Signature version " + clip(version) + " is not supported; use 2 or 4");
    }
    String method = required(auth, METHOD_PARAM);
    if (!METHODS.contains(method)) {
      throw new ParameterException(
          ParameterException.Problem.INVALID_PARAMETER_VALUE,
          "Value (" + clip(method) + ") for parameter SignatureMethod is invalid. Use HmacSHA256 or HmacSHA1.");
    }
    String signature = auth.get(SIGNATURE_PARAM);
    if (signature == null || signature.isEmpty()) {
      throw AuthorizationParser.malformed(false, "The request must contain the parameter Signature");
    }
    checkTime(auth);
    String host =
        head.header("host")
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .orElseThrow(() -> AuthorizationParser.malformed(false, "a Signature Version 2 request needs a Host header"));
    Credential credential =
        credentials
            .find(accessKeyId)
            .orElseThrow(
                () ->
                    new AuthException(
                        Kind.UNKNOWN_ACCESS_KEY,
                        "The AWS Access Key Id you provided does not exist in our records."));
    String path = head.rawPath() == null || head.rawPath().isEmpty() ? "/" : head.rawPath();
    String toSign = head.method() + "\n" + host + "\n" + path + "\n" + canonicalQuery(params);
    byte[] expected = hmac(method, credential.secretAccessKey(), toSign);
    if (!MessageDigest.isEqual(expected, base64OrEmpty(signature))) {
      throw new AuthException(
          Kind.SIGNATURE_MISMATCH,
          "The request signature we calculated does not match the signature you provided."
              + " Check your key and signing method.");
    }
    return new Principal(credential.accountId(), credential.accessKeyId());
  }

  /** Every parameter but Signature, sorted by the bytes of its name (ties keep wire order). */
  static String canonicalQuery(List<Map.Entry<String, String>> params) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(params.size());
    for (Map.Entry<String, String> p : params) {
      if (!p.getKey().equals(SIGNATURE_PARAM)) {
        sorted.add(p);
      }
    }
    sorted.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8)));
    StringJoiner out = new StringJoiner("&");
    for (Map.Entry<String, String> p : sorted) {
      out.add(UriEncoding.encode(p.getKey()) + "=" + UriEncoding.encode(p.getValue()));
    }
    return out.toString();
  }

  private void checkTime(Map<String, String> auth) throws AuthException, ParameterException {
    String timestamp = auth.get(TIMESTAMP_PARAM);
    String expires = auth.get(EXPIRES_PARAM);
    if (timestamp != null && expires != null) {
      throw new ParameterException(
          ParameterException.Problem.INVALID_PARAMETER_COMBINATION,
          "The parameter Timestamp cannot be used with the parameter Expires");
    }
    if (timestamp == null && expires == null) {
      throw new ParameterException(
          ParameterException.Problem.MISSING_PARAMETER,
          "The request must contain the parameter Timestamp or Expires");
    }
    Instant now = clock.instant();
    if (timestamp != null) {
      Instant signedAt = parseTime(TIMESTAMP_PARAM, timestamp);
      if (Duration.between(signedAt, now).abs().compareTo(maxSkew) > 0) {
        throw new AuthException(
            Kind.TIME_SKEWED,
            "The difference between the request time and the current time is too large.");
      }
    } else if (now.isAfter(parseTime(EXPIRES_PARAM, expires))) {
      throw new AuthException(Kind.EXPIRED, "Request has expired");
    }
  }

  /** ISO 8601 with an offset or 'Z'; without one (some old tools) the time is taken as UTC. */
  static Instant parseTime(String name, String value) throws ParameterException {
    if (value.length() <= TIME_LENGTH_MAX) {
      try {
        TemporalAccessor t =
            DateTimeFormatter.ISO_DATE_TIME.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
        return t instanceof OffsetDateTime odt
            ? odt.toInstant()
            : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // falls through to the refusal below
      }
    }
    throw new ParameterException(
        ParameterException.Problem.INVALID_PARAMETER_VALUE,
        "Value (" + clip(value) + ") for parameter " + name + " is invalid. Use ISO 8601, e.g. 2024-05-01T12:00:00Z.");
  }

  private static String required(Map<String, String> auth, String name) throws ParameterException {
    String v = auth.get(name);
    if (v == null || v.isEmpty()) {
      throw new ParameterException(
          ParameterException.Problem.MISSING_PARAMETER, "The request must contain the parameter " + name);
    }
    return v;
  }

  /** The auth parameters by name; each at most once. */
  private static Map<String, String> authParams(List<Map.Entry<String, String>> params) throws AuthException {
    Map<String, String> found = new HashMap<>();
    for (Map.Entry<String, String> p : params) {
      if (AUTH_PARAMS.contains(p.getKey()) && found.put(p.getKey(), p.getValue()) != null) {
        throw AuthorizationParser.malformed(false, p.getKey() + " appears more than once");
      }
    }
    return found;
  }

  private static List<Map.Entry<String, String>> decodedParams(String raw) throws AuthException {
    List<Map.Entry<String, String>> pairs = UriEncoding.splitRaw(raw);
    if (pairs.size() > QueryParams.PARAMS_MAX) {
      throw AuthorizationParser.malformed(false, "the request has more than " + QueryParams.PARAMS_MAX + " parameters");
    }
    List<Map.Entry<String, String>> decoded = new ArrayList<>(pairs.size());
    try {
      for (Map.Entry<String, String> p : pairs) {
        // '+' is a space in a Query request, in the query string as in the form body.
        decoded.add(Map.entry(UriEncoding.decode(p.getKey(), true), UriEncoding.decode(p.getValue(), true)));
      }
    } catch (IllegalArgumentException e) {
      throw AuthorizationParser.malformed(false, "the query string is malformed: " + e.getMessage());
    }
    return decoded;
  }

  /** Where a Query request's parameters are: the form body of a POST, else the query string. */
  private static String paramSource(RequestHead head, byte[] body) {
    return head.method().equals("POST") ? new String(body, StandardCharsets.UTF_8) : head.rawQuery();
  }

  private static String decodeOrNull(String raw) {
    try {
      return UriEncoding.decode(raw, true);
    } catch (IllegalArgumentException e) {
      return null; // verify reports broken escapes
    }
  }

  private static byte[] hmac(String method, String secret, String data) {
    try {
      Mac mac = Mac.getInstance(method);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), method));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(method + " is required of every JVM", e);
    }
  }

  /** Undecodable base64 compares as empty, which never equals an HMAC: a plain mismatch. */
  private static byte[] base64OrEmpty(String signature) {
    try {
      return Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** Keeps client-supplied text in messages short and on one line. */
  private static String clip(String s) {
    String one = s.replaceAll("[\\r\\n]", " ");
    return one.length() > 40 ? one.substring(0, 40) + "..." : one;
  }
}
