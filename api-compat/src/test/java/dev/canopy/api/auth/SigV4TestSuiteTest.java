package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS's published SigV4 test suite (aws-sig-v4-test-suite: credential AKIDEXAMPLE, service
 * "service", us-east-1, 2015-08-30T12:36:00Z), case by case, through the verifier a client's
 * request meets; then each signed component of one of those requests altered on its own, which
 * must fail with the kind a client's error code comes from.
 */
class SigV4TestSuiteTest {

  static final String SUITE_KEY = "AKIDEXAMPLE";
  static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String SUITE_DATE = "20150830T123600Z";
  static final Instant SUITE_NOW = Instant.parse("2015-08-30T12:36:00Z");
  static final String SCOPE = SUITE_KEY + "/20150830/us-east-1/service/aws4_request";

  static SigV4Verifier suiteVerifier(Instant now) {
    Credential c = new Credential(SUITE_KEY, SUITE_SECRET, "acct");
    return new SigV4Verifier(
        k -> k.equals(SUITE_KEY) ? Optional.of(c) : Optional.empty(),
        InstantSource.fixed(now),
        SigV4Verifier.SKEW_MAX_DEFAULT,
        "us-east-1",
        "service");
  }

  /** A suite request as the server sees it: host and x-amz-date first, then {@code extra} (name, value...). */
  static RequestHead suiteRequest(
      String method, String rawPath, String rawQuery, String signedHeaders, String signature, String... extra) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("example.amazonaws.com"));
    headers.put("x-amz-date", List.of(SUITE_DATE));
    for (int i = 0; i < extra.length; i += 2) {
      headers.computeIfAbsent(extra[i], k -> new java.util.ArrayList<>()).add(extra[i + 1]);
    }
    headers.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=" + SCOPE + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature));
    return new RequestHead(method, rawPath, rawQuery, headers);
  }

  static Principal verify(RequestHead head, String body) throws AuthException {
    return suiteVerifier(SUITE_NOW).verifyWhole(head, body.getBytes(StandardCharsets.UTF_8));
  }

  static AuthException failure(RequestHead head) {
    try {
      verify(head, "");
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("the altered request verified");
  }

  /** One case of the suite: its request line, signed headers, extra headers and published signature. */
  record Case(String name, String method, String rawQuery, String signedHeaders, String signature, String body,
      String... extra) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> publishedCases() {
    String form = "Param1=value1";
    return List.of(
        // Parameters sort by code point, so Param1 before Param2 whatever the wire order.
        new Case("get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1", "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", ""),
        // Values trimmed, inner runs of spaces collapsed to one.
        new Case("get-header-value-trim", "GET", "", "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736", "",
            "my-header1", " value1", "my-header2", " \"a   b   c\""),
        // Repeated headers join with ',' in arrival order, not sorted.
        new Case("get-header-key-duplicate", "GET", "", "host;my-header1;x-amz-date",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea", "",
            "my-header1", "value2", "my-header1", "value2", "my-header1", "value1"),
        // The suite's folded header canonicalises to "value1,value2,value3"; an HTTP server that
        // unfolds it hands the lines over as three values.
        new Case("get-header-value-multiline", "GET", "", "host;my-header1;x-amz-date",
            "ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790", "",
            "my-header1", "value1", "my-header1", "  value2", "my-header1", "     value3"),
        // Lower-case escapes on the wire re-encode in upper case.
        new Case("get-vanilla-utf8-query", "GET", "%e1%88%b4=bar", "host;x-amz-date",
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04", ""),
        new Case("get-vanilla-query-unreserved", "GET",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                + "=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197", ""),
        new Case("get-vanilla-empty-query-key", "GET", "Param1=value1", "host;x-amz-date",
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb", ""),
        // The form body is signed as bytes; its parameters are not part of the canonical query.
        new Case("post-x-www-form-urlencoded", "POST", "",
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b", form,
            "content-type", "application/x-www-form-urlencoded", "content-length", "13",
            "x-amz-content-sha256", Crypto.sha256Hex(form)));
  }

  private static RequestHead request(Case c) {
    return suiteRequest(c.method(), "/", c.rawQuery(), c.signedHeaders(), c.signature(), c.extra());
  }

  @ParameterizedTest
  @MethodSource("publishedCases")
  void publishedCaseVerifies(Case c) throws Exception {
    assertThat(verify(request(c), c.body()).accessKeyId()).isEqualTo(SUITE_KEY);
  }

  @ParameterizedTest
  @MethodSource("publishedCases")
  void publishedCaseWithOneMoreBodyByteFails(Case c) {
    try {
      verify(request(c), c.body() + "x");
      throw new AssertionError("a body the signature does not cover verified");
    } catch (AuthException e) {
      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }
  }

  /**
   * The suite's path cases sign the path encoded once, which is how S3 signs it (as sent); the
   * suite's service is not S3, so these are checked at the canonical request the verifier builds.
   */
  @Nested
  class PathCases {

    private String signatureOver(String canonicalUri) {
      String canonical =
          CanonicalRequest.build(
              "GET",
              canonicalUri,
              "",
              "host:example.amazonaws.com\nx-amz-date:" + SUITE_DATE + "\n",
              List.of("host", "x-amz-date"),
              Crypto.EMPTY_SHA256_HEX);
      CredentialScope scope = new CredentialScope("20150830", "us-east-1", "service");
      byte[] key = new SigningKeys().signingKey(SUITE_SECRET, scope);
      return CanonicalRequest.signature(key, CanonicalRequest.stringToSign(SUITE_DATE, scope, canonical));
    }

    @Test
    void getSpaceAsS3SignsItIsTheSuiteSignature() {
      assertThat(CanonicalRequest.uri("/example%20space/", true)).isEqualTo("/example%20space/");
      assertThat(signatureOver(CanonicalRequest.uri("/example%20space/", true)))
          .isEqualTo("652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
    }

    @Test
    void getUtf8AsS3SignsItIsTheSuiteSignature() {
      assertThat(signatureOver(CanonicalRequest.uri("/%E1%88%B4", true)))
          .isEqualTo("8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    }

    @Test
    void s3NeverNormalisesDotSegmentsOrEmptySegments() {
      // "a/../b", "a//b" and "./a" are distinct S3 keys: normalising them would let one
      // signature name another object.
      assertThat(CanonicalRequest.uri("/b/a/../k", true)).isEqualTo("/b/a/../k");
      assertThat(CanonicalRequest.uri("/b/a//k", true)).isEqualTo("/b/a//k");
      assertThat(CanonicalRequest.uri("/b/./k", true)).isEqualTo("/b/./k");
    }

    @Test
    void otherServicesNormaliseThenEncodeTheWirePathAgain() {
      assertThat(CanonicalRequest.uri("/example%20space/", false)).isEqualTo("/example%2520space/");
      assertThat(CanonicalRequest.uri("/a/./b/../c//d/", false)).isEqualTo("/a/c/d/");
      assertThat(CanonicalRequest.uri("/..", false)).isEqualTo("/");
      assertThat(CanonicalRequest.uri("", false)).isEqualTo("/");
    }
  }

  /** One signed component altered at a time on get-vanilla-query-order-key-case. */
  @Nested
  class Tampering {

    private static final String SIGNATURE = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

    private RequestHead original() {
      return suiteRequest("GET", "/", "Param2=value2&Param1=value1", "host;x-amz-date", SIGNATURE);
    }

    private RequestHead withAuthorization(String credentialScope, String signedHeaders, String signature) {
      return TestRequests.withHeader(
          original(),
          "authorization",
          "AWS4-HMAC-SHA256 Credential=" + credentialScope + ", SignedHeaders=" + signedHeaders
              + ", Signature=" + signature);
    }

    @Test
    void theOriginalVerifies() throws Exception {
      assertThat(verify(original(), "").accountId()).isEqualTo("acct");
    }

    @Test
    void theMethod() {
      RequestHead r = original();
      assertThat(failure(new RequestHead("HEAD", r.rawPath(), r.rawQuery(), r.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void thePath() {
      RequestHead r = original();
      assertThat(failure(new RequestHead("GET", "/other", r.rawQuery(), r.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aQueryValue() {
      RequestHead r = original();
      assertThat(failure(new RequestHead("GET", "/", "Param2=value2&Param1=value9", r.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aQueryParameterAdded() {
      RequestHead r = original();
      assertThat(failure(new RequestHead("GET", "/", r.rawQuery() + "&Param3=", r.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aQueryParameterNameCase() {
      RequestHead r = original();
      assertThat(failure(new RequestHead("GET", "/", "param2=value2&Param1=value1", r.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theParameterOrderDoesNotMatter() throws Exception {
      RequestHead r = original();
      assertThat(verify(new RequestHead("GET", "/", "Param1=value1&Param2=value2", r.headers()), "").accessKeyId())
          .isEqualTo(SUITE_KEY);
    }

    @Test
    void theSignedHostHeader() {
      assertThat(failure(TestRequests.withHeader(original(), "host", "evil.example.com")).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void anUnsignedHeaderAddedStillVerifies() throws Exception {
      // Proxies and HTTP stacks add headers (user-agent, x-forwarded-for) that were never signed.
      assertThat(verify(TestRequests.withHeader(original(), "user-agent", "proxy/1.0"), "").accessKeyId())
          .isEqualTo(SUITE_KEY);
    }

    @Test
    void theDateWithinTheSameDay() {
      // Still the scope's day and within the skew window: only the signature can catch it.
      assertThat(failure(TestRequests.withHeader(original(), "x-amz-date", "20150830T123601Z")).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theDateOnAnotherDayThanTheScope() {
      RequestHead r = TestRequests.withHeader(original(), "x-amz-date", "20150831T000100Z");
      AuthException e;
      try {
        suiteVerifier(Instant.parse("2015-08-31T00:01:00Z")).verifyWhole(r, new byte[0]);
        throw new AssertionError("verified");
      } catch (AuthException caught) {
        e = caught;
      }
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.detail()).isEqualTo(Detail.CREDENTIAL_SCOPE);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AuthorizationHeaderMalformed");
    }

    @Test
    void theScopeRegion() {
      AuthException e =
          failure(withAuthorization(SUITE_KEY + "/20150830/eu-west-1/service/aws4_request", "host;x-amz-date", SIGNATURE));
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.detail()).isEqualTo(Detail.CREDENTIAL_SCOPE);
      assertThat(e.getMessage()).contains("eu-west-1").contains("us-east-1");
    }

    @Test
    void theScopeService() {
      AuthException e =
          failure(withAuthorization(SUITE_KEY + "/20150830/us-east-1/s3/aws4_request", "host;x-amz-date", SIGNATURE));
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.detail()).isEqualTo(Detail.CREDENTIAL_SCOPE);
    }

    @Test
    void theScopeTerminator() {
      AuthException e =
          failure(withAuthorization(SUITE_KEY + "/20150830/us-east-1/service/aws5_request", "host;x-amz-date", SIGNATURE));
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.detail()).isEqualTo(Detail.CREDENTIAL_SCOPE);
    }

    @Test
    void anUnknownAccessKey() {
      AuthException e =
          failure(withAuthorization("AKIDOTHER/20150830/us-east-1/service/aws4_request", "host;x-amz-date", SIGNATURE));
      assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ACCESS_KEY);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidAccessKeyId");
      assertThat(S3Errors.fromAuth(e).httpStatus()).isEqualTo(403);
    }

    @Test
    void aKnownAccessKeyWithAnotherSecret() {
      Credential other = new Credential(SUITE_KEY, SUITE_SECRET.replace('K', 'k'), "acct");
      SigV4Verifier v =
          new SigV4Verifier(
              k -> Optional.of(other), InstantSource.fixed(SUITE_NOW), Duration.ofMinutes(15), "us-east-1", "service");
      try {
        v.verifyWhole(original(), new byte[0]);
        throw new AssertionError("verified");
      } catch (AuthException e) {
        assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
        assertThat(S3Errors.fromAuth(e).code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(S3Errors.fromAuth(e).httpStatus()).isEqualTo(403);
      }
    }

    @Test
    void theSignedHeadersListWithoutTheDate() {
      assertThat(failure(withAuthorization(SCOPE, "host", SIGNATURE)).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theSignedHeadersListWithoutHostIsMalformed() {
      assertThat(failure(withAuthorization(SCOPE, "x-amz-date", SIGNATURE)).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void aSignedHeaderTheRequestDoesNotCarry() {
      assertThat(failure(withAuthorization(SCOPE, "host;x-amz-date;x-amz-meta-a", SIGNATURE)).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theSignatureInUpperCaseHexStillVerifies() throws Exception {
      assertThat(verify(withAuthorization(SCOPE, "host;x-amz-date", SIGNATURE.toUpperCase()), "").accessKeyId())
          .isEqualTo(SUITE_KEY);
    }

    @Test
    void eachSignatureDigit() {
      for (int i = 0; i < SIGNATURE.length(); i++) {
        char c = SIGNATURE.charAt(i);
        String altered = SIGNATURE.substring(0, i) + (c == '0' ? '1' : '0') + SIGNATURE.substring(i + 1);
        assertThat(failure(withAuthorization(SCOPE, "host;x-amz-date", altered)).kind())
            .as("digit %d", i)
            .isEqualTo(Kind.SIGNATURE_MISMATCH);
      }
    }

    @Test
    void aTruncatedSignatureIsMalformed() {
      assertThat(failure(withAuthorization(SCOPE, "host;x-amz-date", SIGNATURE.substring(1))).kind())
          .isEqualTo(Kind.MALFORMED);
    }
  }
}
