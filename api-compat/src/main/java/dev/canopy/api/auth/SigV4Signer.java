package dev.canopy.api.auth;

import dev.canopy.api.http.UriEncoding;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Signs requests with AWS Signature Version 4 the way the AWS SDKs do, for Canopy's own clients
 * (the CLI's admin calls, console download links). Shares its canonicalisation code with {@link
 * SigV4Verifier}, so whatever this signs, that verifies. Stateless apart from the clock; thread
 * safe.
 */
public final class SigV4Signer {

  private final InstantSource clock;

  public SigV4Signer(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Signs a request with an Authorization header; every header given is signed.
   *
   * @param uri where the request goes; its raw path and raw query are signed as written, so send
   *     the request to exactly this URI
   * @param headers headers the request will carry (any case); when they lack {@code host}, the
   *     URI's authority ({@code host[:port]} as written) is signed, which is what Java's
   *     HttpClient and Vert.x send
   * @return every header to send, lower-case names: those given, {@code host}, {@code
   *     x-amz-date}, {@code x-amz-content-sha256} and {@code authorization}
   */
  public Map<String, String> sign(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      Credential credential,
      String region,
      String service) {
    return sign(method, uri, headers, Crypto.HEX.formatHex(Crypto.sha256(body)), credential, region, service);
  }

  /**
   * Signs an S3 request whose body is streamed and not hashed ({@code x-amz-content-sha256:
   * UNSIGNED-PAYLOAD}), as an SDK does over TLS; otherwise as {@link #sign}.
   */
  public Map<String, String> signUnsignedPayload(
      String method, URI uri, Map<String, String> headers, Credential credential, String region) {
    return sign(method, uri, headers, PayloadMode.UNSIGNED.token(), credential, region, CanonicalRequest.S3_SERVICE);
  }

  private Map<String, String> sign(
      String method,
      URI uri,
      Map<String, String> headers,
      String payloadHash,
      Credential credential,
      String region,
      String service) {
    String amzDate = AmzDates.formatAmzDate(clock.instant());
    CredentialScope scope = new CredentialScope(amzDate.substring(0, 8), region, service);

    Map<String, String> out = new TreeMap<>();
    headers.forEach((name, value) -> out.put(name.toLowerCase(Locale.ROOT), value));
    out.remove("authorization"); // a stale one would otherwise be signed, then replaced
    out.putIfAbsent("host", authority(uri));
    out.put("x-amz-date", amzDate);
    out.put("x-amz-content-sha256", payloadHash);
    List<String> signedHeaders = new ArrayList<>(out.keySet());

    String signature =
        signature(method, uri.getRawPath(), uri.getRawQuery(), out, signedHeaders, payloadHash, amzDate, scope, credential);
    out.put(
        "authorization",
        CanonicalRequest.ALGORITHM
            + " Credential=" + credential.accessKeyId() + "/" + scope
            + ", SignedHeaders=" + String.join(";", signedHeaders)
            + ", Signature=" + signature);
    return out;
  }

  /**
   * A presigned URL: whoever holds it may make this one request (without a body, or with an
   * unsigned one for S3) until it expires. Signs only the Host header.
   *
   * @param expires 1 second to 7 days, as AWS allows
   */
  public URI presign(
      String method, URI uri, Duration expires, Credential credential, String region, String service) {
    long seconds = expires.getSeconds();
    if (seconds < 1 || seconds > AuthorizationParser.EXPIRES_SECONDS_MAX || expires.getNano() != 0) {
      throw new IllegalArgumentException("expires must be whole seconds from 1 s to 7 days: " + expires);
    }
    String amzDate = AmzDates.formatAmzDate(clock.instant());
    CredentialScope scope = new CredentialScope(amzDate.substring(0, 8), region, service);
    String auth =
        "X-Amz-Algorithm=" + CanonicalRequest.ALGORITHM
            + "&X-Amz-Credential=" + UriEncoding.encode(credential.accessKeyId() + "/" + scope)
            + "&X-Amz-Date=" + amzDate
            + "&X-Amz-Expires=" + seconds
            + "&X-Amz-SignedHeaders=host";
    String query = uri.getRawQuery();
    String rawQuery = query == null || query.isEmpty() ? auth : query + "&" + auth;
    // S3 defines a presigned URL's payload as unsigned; other services sign an empty body.
    String payloadHash =
        service.equals(CanonicalRequest.S3_SERVICE) ? PayloadMode.UNSIGNED.token() : Crypto.EMPTY_SHA256_HEX;
    String signature =
        signature(
            method,
            uri.getRawPath(),
            rawQuery,
            Map.of("host", authority(uri)),
            List.of("host"),
            payloadHash,
            amzDate,
            scope,
            credential);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return URI.create(
        uri.getScheme() + "://" + uri.getRawAuthority() + path + "?" + rawQuery
            + "&" + CanonicalRequest.SIGNATURE_PARAM + "=" + signature);
  }

  private static String signature(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, String> headers,
      List<String> signedHeaders,
      String payloadHash,
      String amzDate,
      CredentialScope scope,
      Credential credential) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    String canonical =
        CanonicalRequest.build(
            method,
            CanonicalRequest.uri(rawPath, scope.service().equals(CanonicalRequest.S3_SERVICE)),
            CanonicalRequest.query(rawQuery == null ? "" : rawQuery, false),
            CanonicalRequest.headers(signedHeaders, multi),
            signedHeaders,
            payloadHash);
    byte[] key = SigningKeys.derive(credential.secretAccessKey(), scope);
    return CanonicalRequest.signature(key, CanonicalRequest.stringToSign(amzDate, scope, canonical));
  }

  private static String authority(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null) {
      throw new IllegalArgumentException("the URI has no host: " + uri);
    }
    int at = authority.lastIndexOf('@');
    return at >= 0 ? authority.substring(at + 1) : authority;
  }
}
