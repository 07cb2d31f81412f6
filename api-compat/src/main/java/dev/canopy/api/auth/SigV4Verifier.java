package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies AWS Signature Version 4: Authorization header, presigned query string, and the
 * payload modes of x-amz-content-sha256 (a hex digest, UNSIGNED-PAYLOAD,
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). Comparisons are constant time.
 *
 * <p>Checks run in this order, so that the cheapest and least revealing come first: syntax
 * (MALFORMED), credential scope (MALFORMED), time (TIME_SKEWED, EXPIRED), access key
 * (UNKNOWN_ACCESS_KEY), signature (SIGNATURE_MISMATCH), then the syntax of the body's digest
 * headers (INVALID_DIGEST). Thread safe; one instance per endpoint.
 */
public final class SigV4Verifier {

  /** AWS allows 15 minutes between the client's clock and the server's. */
  public static final Duration SKEW_MAX_DEFAULT = Duration.ofMinutes(15);

  private final CredentialLookup credentials;
  private final InstantSource clock;
  private final Duration maxSkew;
  private final String region;
  private final RegionPolicy regionPolicy;
  private final String service;
  private final SigningKeys signingKeys = new SigningKeys();

  /**
   * A verifier that accepts only {@code region} in a credential scope ({@link RegionPolicy#EXACT}).
   *
   * @param region the region a credential scope must name
   * @param service the service a credential scope must name ("s3", "ec2", ...)
   */
  public SigV4Verifier(
      CredentialLookup credentials, InstantSource clock, Duration maxSkew, String region, String service) {
    this(credentials, clock, maxSkew, region, RegionPolicy.EXACT, service);
  }

  /**
   * @param region the endpoint's region, named in the error when {@code regionPolicy} refuses a scope
   * @param regionPolicy whether a scope naming another region is accepted
   * @param service the service a credential scope must name ("s3", "ec2", ...)
   */
  public SigV4Verifier(
      CredentialLookup credentials, InstantSource clock, Duration maxSkew, String region, RegionPolicy regionPolicy,
      String service) {
    this.credentials = Objects.requireNonNull(credentials);
    this.clock = Objects.requireNonNull(clock);
    this.maxSkew = Objects.requireNonNull(maxSkew);
    this.region = Objects.requireNonNull(region);
    this.regionPolicy = Objects.requireNonNull(regionPolicy);
    this.service = Objects.requireNonNull(service);
  }

  // Read by SigV2Verifier.alongside, so that one endpoint's two verifiers share credentials, clock
  // and skew window without every caller wiring both.
  CredentialLookup credentials() {
    return credentials;
  }

  InstantSource clock() {
    return clock;
  }

  Duration maxSkew() {
    return maxSkew;
  }

  /**
   * Checks the signature of a request whose body streams (S3): the canonical request's payload
   * hash is the x-amz-content-sha256 header (required with an Authorization header), or
   * UNSIGNED-PAYLOAD for an S3 presigned URL. Syntax of Content-MD5 and x-amz-checksum-* is
   * checked here, before any body byte is read; the body itself is checked by the returned
   * request's payload verifier. Other services' presigned URLs sign the body's hash and must go
   * through {@link #verifyWhole}.
   *
   * @throws AuthException {@code MISSING} when the request carries no signature at all
   */
  public VerifiedRequest verify(RequestHead head) throws AuthException {
    SignatureInput in = AuthorizationParser.parse(head);
    String payloadHash = streamingPayloadHash(head, in);
    PayloadMode mode = payloadMode(payloadHash, in);
    Verified v = checkSignature(head, in, payloadHash);
    PayloadSpec spec = PayloadSpec.parse(head, mode, payloadHash);
    ChunkSigner.Seed seed =
        new ChunkSigner.Seed(v.signingKey(), in.amzDate(), in.scope(), in.signature().toLowerCase(Locale.ROOT));
    return new SigV4Request(v.principal(), spec, seed, in.signedHeaders());
  }

  /**
   * Checks a request whose small body is already in memory (EC2 Query POST, admin JSON): the
   * canonical request's payload hash is the SHA-256 of {@code body}, the bytes actually received
   * (UNSIGNED-PAYLOAD only for an S3 presigned URL), so a signature covers exactly this body. An
   * x-amz-content-sha256 header, when sent, must name that same hash: UNSIGNED-PAYLOAD and another
   * body's hash are refused, as these services sign every body (no EC2 operation is modelled with
   * an unsigned payload). Otherwise anyone who saw one signed request could replay its signature
   * with a body of their own.
   * Content-MD5 and x-amz-checksum-* headers are checked too; aws-chunked bodies are refused
   * (MALFORMED).
   *
   * @throws AuthException SIGNATURE_MISMATCH when the signature does not cover this body;
   *     CONTENT_SHA256_MISMATCH when it does but x-amz-content-sha256 names something else
   */
  public Principal verifyWhole(RequestHead head, byte[] body) throws AuthException {
    SignatureInput in = AuthorizationParser.parse(head);
    Optional<String> header = head.header("x-amz-content-sha256").map(String::trim);
    if (header.isPresent() && payloadMode(header.get(), in).chunked()) {
      throw new AuthException(
          Kind.MALFORMED,
          Detail.INVALID_CONTENT_SHA256,
          in.presigned(),
          "x-amz-content-sha256 " + header.get() + " is not accepted by this endpoint");
    }
    String bodyHash = Crypto.HEX.formatHex(Crypto.sha256(body));
    // S3 alone defines a presigned URL's payload as unsigned (it is made before any body exists).
    boolean s3Presigned = header.isEmpty() && in.presigned() && isS3();
    Verified v = checkSignature(head, in, s3Presigned ? PayloadMode.UNSIGNED.token() : bodyHash);
    if (header.isPresent() && !header.get().equalsIgnoreCase(bodyHash)) {
      throw new AuthException(
          Kind.CONTENT_SHA256_MISMATCH,
          "The provided 'x-amz-content-sha256' header must be the SHA-256 of the request body.");
    }
    // The signature already binds the body's hash: the payload check covers Content-MD5 and
    // x-amz-checksum-* only.
    PayloadVerifier payload =
        new PlainPayloadVerifier(PayloadSpec.parse(head, PayloadMode.UNSIGNED, PayloadMode.UNSIGNED.token()));
    payload.update(ByteBuffer.wrap(body));
    payload.finish();
    return v.principal();
  }

  private boolean isS3() {
    return service.equals(CanonicalRequest.S3_SERVICE);
  }

  private String streamingPayloadHash(RequestHead head, SignatureInput in) throws AuthException {
    Optional<String> header = head.header("x-amz-content-sha256");
    if (header.isPresent()) {
      return header.get().trim();
    }
    if (in.presigned() && isS3()) {
      // A presigned URL is made before the body exists; S3 defines its payload hash this way.
      return PayloadMode.UNSIGNED.token();
    }
    throw new AuthException(
        Kind.MALFORMED,
        Detail.MISSING_CONTENT_SHA256,
        in.presigned(),
        "Missing required header for this request: x-amz-content-sha256");
  }

  private static PayloadMode payloadMode(String payloadHash, SignatureInput in) throws AuthException {
    return PayloadMode.of(payloadHash)
        .orElseThrow(
            () ->
                new AuthException(
                    Kind.MALFORMED,
                    Detail.INVALID_CONTENT_SHA256,
                    in.presigned(),
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
                        + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                        + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value."));
  }

  private record Verified(Principal principal, byte[] signingKey) {}

  private Verified checkSignature(RequestHead head, SignatureInput in, String payloadHash)
      throws AuthException {
    checkScope(in);
    checkTime(in);
    Credential credential =
        credentials
            .find(in.accessKeyId())
            .orElseThrow(
                () ->
                    new AuthException(
                        Kind.UNKNOWN_ACCESS_KEY,
                        Detail.NONE,
                        in.presigned(),
                        "The AWS Access Key Id you provided does not exist in our records."));
    String canonicalQuery;
    try {
      canonicalQuery = CanonicalRequest.query(head.rawQuery(), in.presigned());
    } catch (IllegalArgumentException e) {
      throw AuthorizationParser.malformed(in.presigned(), "the query string is malformed: " + e.getMessage());
    }
    byte[] key = signingKeys.signingKey(credential.secretAccessKey(), in.scope());
    boolean matches =
        signatureOver(CanonicalRequest.uri(head.rawPath(), isS3()), head, in, canonicalQuery, payloadHash, key);
    if (!matches && isS3()) {
      // Same key, other spelling: see CanonicalRequest.s3ReencodedUri.
      Optional<String> reencoded = CanonicalRequest.s3ReencodedUri(head.rawPath());
      matches = reencoded.isPresent() && signatureOver(reencoded.get(), head, in, canonicalQuery, payloadHash, key);
    }
    if (!matches) {
      throw new AuthException(
          Kind.SIGNATURE_MISMATCH,
          Detail.NONE,
          in.presigned(),
          "The request signature we calculated does not match the signature you provided."
              + " Check your key and signing method.");
    }
    return new Verified(new Principal(credential.accountId(), credential.accessKeyId()), key);
  }

  private static boolean signatureOver(
      String canonicalUri, RequestHead head, SignatureInput in, String canonicalQuery, String payloadHash, byte[] key) {
    String canonical =
        CanonicalRequest.build(
            head.method(),
            canonicalUri,
            canonicalQuery,
            CanonicalRequest.headers(in.signedHeaders(), head.headers()),
            in.signedHeaders(),
            payloadHash);
    String expected =
        CanonicalRequest.signature(key, CanonicalRequest.stringToSign(in.amzDate(), in.scope(), canonical));
    return Crypto.signaturesEqual(expected, in.signature());
  }

  private void checkScope(SignatureInput in) throws AuthException {
    CredentialScope scope = in.scope();
    String problem = null;
    if (!in.scopeTerminator().equals(CredentialScope.TERMINATOR)) {
      problem =
          "incorrect terminal '" + in.scopeTerminator() + "'. This endpoint uses '"
              + CredentialScope.TERMINATOR + "'.";
    } else if (scope.region().isEmpty()
        || regionPolicy == RegionPolicy.EXACT && !scope.region().equals(region)) {
      problem = "the region '" + scope.region() + "' is wrong; expecting '" + region + "'";
    } else if (!scope.service().equals(service)) {
      problem =
          "incorrect service '" + scope.service() + "'. This endpoint belongs to '" + service + "'.";
    } else if (!in.amzDate().startsWith(scope.date())) {
      problem = "Invalid credential date. Date is not the same as X-Amz-Date.";
    }
    if (problem != null) {
      throw new AuthException(Kind.MALFORMED, Detail.CREDENTIAL_SCOPE, in.presigned(), problem);
    }
  }

  private void checkTime(SignatureInput in) throws AuthException {
    Instant now = clock.instant();
    Instant signedAt = in.requestTime();
    if (in.presigned()) {
      if (signedAt.isAfter(now.plus(maxSkew))) {
        throw new AuthException(
            Kind.TIME_SKEWED, Detail.NONE, true, "Request is not valid yet: X-Amz-Date is in the future.");
      }
      if (now.isAfter(signedAt.plus(in.expires().orElseThrow()))) {
        throw new AuthException(Kind.EXPIRED, Detail.NONE, true, "Request has expired");
      }
    } else if (Duration.between(signedAt, now).abs().compareTo(maxSkew) > 0) {
      throw new AuthException(
          Kind.TIME_SKEWED,
          Detail.NONE,
          false,
          "The difference between the request time and the current time is too large.");
    }
  }
}
