package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.CREDENTIAL;
import static dev.canopy.api.auth.TestRequests.NOW;
import static dev.canopy.api.auth.TestRequests.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.RequestHead;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges a client's clock and a presigned URL's lifetime meet (the 15-minute skew window to
 * the second, X-Amz-Expires from 0 to a week and past it), and query strings whose parameters
 * repeat or have no value: each accepted or refused with the S3 code a client would see.
 */
class SigV4TimeAndQueryTest {

  private static final URI OBJECT = URI.create("http://s3.example.com:8779/bucket/key.txt");
  private static final Duration SKEW = SigV4Verifier.SKEW_MAX_DEFAULT;

  private static SigV4Signer signerAt(Instant at) {
    return new SigV4Signer(InstantSource.fixed(at));
  }

  private static RequestHead head(String method, URI uri, Map<String, String> sent) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    all.put("host", List.of(uri.getRawAuthority()));
    sent.forEach((k, v) -> all.put(k, List.of(v)));
    return new RequestHead(method, uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(), all);
  }

  /** A GET signed with an Authorization header at {@code at}, as the server sees it. */
  private static RequestHead signedAt(Instant at, URI uri, String service) {
    return head("GET", uri, signerAt(at).sign("GET", uri, Map.of(), new byte[0], CREDENTIAL, REGION, service));
  }

  private static RequestHead presigned(Instant at, Duration expires) {
    return head("GET", signerAt(at).presign("GET", OBJECT, expires, CREDENTIAL, REGION, "s3"), Map.of());
  }

  /** The presigned URL with one of its query parameters given another raw value. */
  private static RequestHead presignedWith(String param, String rawValue) {
    RequestHead h = presigned(NOW, Duration.ofHours(1));
    String query = h.rawQuery().replaceFirst(param + "=[^&]*", param + "=" + rawValue);
    return new RequestHead(h.method(), h.rawPath(), query, h.headers());
  }

  private static AuthException s3Failure(RequestHead head) {
    try {
      TestRequests.verifier("s3").verify(head);
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("verified: " + head);
  }

  private static void assertS3Error(AuthException e, int status, String code) {
    AwsException s3 = S3Errors.fromAuth(e);
    assertThat(s3.httpStatus()).as(e.getMessage()).isEqualTo(status);
    assertThat(s3.code()).as(e.getMessage()).isEqualTo(code);
  }

  @Nested
  class ClockSkew {

    @ParameterizedTest
    @ValueSource(longs = {-900, -1, 0, 1, 900})
    void aClockUpToFifteenMinutesOffEitherWayIsAccepted(long offsetSeconds) throws Exception {
      RequestHead h = signedAt(NOW.plusSeconds(offsetSeconds), OBJECT, "s3");

      assertThat(TestRequests.verifier("s3").verify(h).principal().accessKeyId()).isEqualTo(TestRequests.ACCESS_KEY);
    }

    @ParameterizedTest
    @ValueSource(longs = {-901, 901, -86_400, 86_400})
    void oneSecondPastTheWindowIsRequestTimeTooSkewed(long offsetSeconds) {
      AuthException e = s3Failure(signedAt(NOW.plusSeconds(offsetSeconds), OBJECT, "s3"));

      assertThat(e.kind()).isEqualTo(Kind.TIME_SKEWED);
      assertS3Error(e, 403, "RequestTimeTooSkewed");
    }

    @Test
    void ec2SaysRequestExpiredForASkewedClock() {
      URI ec2 = URI.create("http://127.0.0.1:8773/?Action=DescribeRegions&Version=2016-11-15");
      RequestHead h = signedAt(NOW.minus(SKEW).minusSeconds(1), ec2, "ec2");
      try {
        TestRequests.verifier("ec2").verifyWhole(h, new byte[0]);
        throw new AssertionError("verified");
      } catch (AuthException e) {
        assertThat(e.kind()).isEqualTo(Kind.TIME_SKEWED);
        AwsException ec2Error = Ec2Errors.fromAuth(e);
        assertThat(ec2Error.httpStatus()).isEqualTo(400);
        assertThat(ec2Error.code()).isEqualTo("RequestExpired");
      }
    }

    @Test
    void theDateHeaderServesWhenThereIsNoXAmzDate() throws Exception {
      // Some clients sign Date instead of x-amz-date; the scope's day must still match it.
      Map<String, String> sent =
          signerAt(NOW).sign("GET", OBJECT, Map.of(), new byte[0], CREDENTIAL, REGION, "s3");
      RequestHead h = TestRequests.withHeader(head("GET", OBJECT, sent), "date", "Wed, 01 May 2024 12:00:00 GMT");
      RequestHead withoutAmzDate = TestRequests.withoutHeader(h, "x-amz-date");

      AuthException e = s3Failure(withoutAmzDate);
      // x-amz-date was signed, so removing it breaks the signature even though Date is valid.
      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }
  }

  @Nested
  class PresignedLifetime {

    @Test
    void validUntilTheLastSecondOfItsLifetime() throws Exception {
      RequestHead h = presigned(NOW.minusSeconds(3600), Duration.ofSeconds(3600));

      assertThat(TestRequests.verifier("s3").verify(h).principal().accountId()).isEqualTo(TestRequests.ACCOUNT);
    }

    @Test
    void oneSecondLaterItHasExpired() {
      AuthException e = s3Failure(presigned(NOW.minusSeconds(3601), Duration.ofSeconds(3600)));

      assertThat(e.kind()).isEqualTo(Kind.EXPIRED);
      assertS3Error(e, 403, "AccessDenied");
      assertThat(S3Errors.fromAuth(e).getMessage()).isEqualTo("Request has expired");
    }

    @Test
    void aWeekIsTheLongestLifetimeAndIsHonouredToTheEnd() throws Exception {
      Duration week = Duration.ofSeconds(AuthorizationParser.EXPIRES_SECONDS_MAX);
      assertThat(week).isEqualTo(Duration.ofDays(7));

      RequestHead h = presigned(NOW.minus(week), week);

      assertThat(TestRequests.verifier("s3").verify(h).principal().accountId()).isEqualTo(TestRequests.ACCOUNT);
      assertThat(s3Failure(presigned(NOW.minus(week).minusSeconds(1), week)).kind()).isEqualTo(Kind.EXPIRED);
    }

    @Test
    void oneSecondLifetime() throws Exception {
      assertThat(TestRequests.verifier("s3").verify(presigned(NOW.minusSeconds(1), Duration.ofSeconds(1))))
          .isNotNull();
      assertThat(s3Failure(presigned(NOW.minusSeconds(2), Duration.ofSeconds(1))).kind()).isEqualTo(Kind.EXPIRED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "604801", "99999999999999999999", "abc", "3600.5", "%20", "0x10"})
    void anExpiresOutsideOneSecondToAWeekIsAnAuthorizationQueryParametersError(String expires) {
      AuthException e = s3Failure(presignedWith("X-Amz-Expires", expires));

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.presigned()).isTrue();
      assertS3Error(e, 400, "AuthorizationQueryParametersError");
    }

    @Test
    void anEmptyExpiresIsAnAuthorizationQueryParametersError() {
      AuthException e = s3Failure(presignedWith("X-Amz-Expires", ""));

      assertS3Error(e, 400, "AuthorizationQueryParametersError");
    }

    @Test
    void aLongerExpiresThanSignedIsASignatureMismatch() {
      // Stretching the lifetime of someone else's URL must not work.
      AuthException e = s3Failure(presignedWith("X-Amz-Expires", "7200"));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
      assertS3Error(e, 403, "SignatureDoesNotMatch");
    }

    @Test
    void aPresignedUrlFromExactlyFifteenMinutesAheadIsAccepted() throws Exception {
      assertThat(TestRequests.verifier("s3").verify(presigned(NOW.plus(SKEW), Duration.ofSeconds(60)))).isNotNull();
    }

    @Test
    void aPresignedUrlFromFurtherAheadIsNotValidYet() {
      AuthException e = s3Failure(presigned(NOW.plus(SKEW).plusSeconds(1), Duration.ofSeconds(60)));

      assertThat(e.kind()).isEqualTo(Kind.TIME_SKEWED);
      assertS3Error(e, 403, "RequestTimeTooSkewed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Amz-Expires", "X-Amz-Date", "X-Amz-Credential", "X-Amz-Signature"})
    void aRepeatedAuthParameterIsRefused(String param) {
      RequestHead h = presigned(NOW, Duration.ofHours(1));
      String value = h.rawQuery().replaceFirst(".*" + param + "=([^&]*).*", "$1");
      RequestHead twice = new RequestHead("GET", h.rawPath(), h.rawQuery() + "&" + param + "=" + value, h.headers());

      AuthException e = s3Failure(twice);

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertS3Error(e, 400, "AuthorizationQueryParametersError");
    }

    @Test
    void aDateThatIsNotIsoBasicFormat() {
      AuthException e = s3Failure(presignedWith("X-Amz-Date", "2024-05-01T12:00:00Z"));

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertS3Error(e, 400, "AuthorizationQueryParametersError");
    }

    @Test
    void anotherAlgorithm() {
      AuthException e = s3Failure(presignedWith("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256"));

      assertS3Error(e, 400, "AuthorizationQueryParametersError");
    }

    @Test
    void anAddedQueryParameterBreaksTheSignature() {
      RequestHead h = presigned(NOW, Duration.ofHours(1));
      RequestHead more = new RequestHead("GET", h.rawPath(), h.rawQuery() + "&versionId=3", h.headers());

      assertThat(s3Failure(more).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theSignatureParameterMayComeFirst() throws Exception {
      RequestHead h = presigned(NOW, Duration.ofHours(1));
      int at = h.rawQuery().indexOf("&X-Amz-Signature=");
      String reordered = h.rawQuery().substring(at + 1) + "&" + h.rawQuery().substring(0, at);

      assertThat(TestRequests.verifier("s3").verify(new RequestHead("GET", h.rawPath(), reordered, h.headers())))
          .isNotNull();
    }

    @Test
    void anotherMethodThanSigned() {
      RequestHead h = presigned(NOW, Duration.ofHours(1));

      assertThat(s3Failure(new RequestHead("DELETE", h.rawPath(), h.rawQuery(), h.headers())).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }
  }

  @Nested
  class QueryStrings {

    private RequestHead signed(String rawQuery) {
      return signedAt(NOW, URI.create(OBJECT + "?" + rawQuery), "s3");
    }

    private RequestHead resent(RequestHead signed, String rawQuery) {
      return new RequestHead(signed.method(), signed.rawPath(), rawQuery, signed.headers());
    }

    private boolean verifies(RequestHead h) {
      try {
        TestRequests.verifier("s3").verify(h);
        return true;
      } catch (AuthException e) {
        assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
        return false;
      }
    }

    @Test
    void repeatedParametersAreSortedByValue() {
      RequestHead h = signed("k=b&k=a&k=c");

      assertThat(CanonicalRequest.query("k=b&k=a&k=c", false)).isEqualTo("k=a&k=b&k=c");
      assertThat(verifies(h)).isTrue();
      assertThat(verifies(resent(h, "k=c&k=b&k=a"))).isTrue();
    }

    @Test
    void aRepeatedParameterCannotBeDroppedOrAdded() {
      RequestHead h = signed("k=a&k=a");

      assertThat(verifies(resent(h, "k=a"))).isFalse();
      assertThat(verifies(resent(h, "k=a&k=a&k=a"))).isFalse();
    }

    @Test
    void aParameterWithoutValueSignsAsAnEmptyValue() {
      // "?acl" and "?acl=" are the same request to S3 and to every SDK.
      RequestHead h = signed("acl");

      assertThat(CanonicalRequest.query("acl", false)).isEqualTo("acl=");
      assertThat(verifies(h)).isTrue();
      assertThat(verifies(resent(h, "acl="))).isTrue();
      assertThat(verifies(resent(h, "acl=x"))).isFalse();
    }

    @Test
    void emptyValuesSortBeforeOthersOfTheSameName() {
      assertThat(CanonicalRequest.query("a=x&a=&b", false)).isEqualTo("a=&a=x&b=");
    }

    @Test
    void namesSortByByteValueSoUpperCaseComesFirst() {
      assertThat(CanonicalRequest.query("b=1&B=2&a=3&_=4&~=5", false)).isEqualTo("B=2&_=4&a=3&b=1&~=5");
    }

    @Test
    void theSpellingOfAnEscapeDoesNotMatter() {
      RequestHead h = signed("prefix=a%2Fb%20c");

      assertThat(verifies(resent(h, "prefix=a/b%20c"))).isTrue();
      assertThat(verifies(resent(h, "prefix=a%2fb%20c"))).isTrue();
      // A plus is a plus in a signed query, never a space.
      assertThat(verifies(resent(h, "prefix=a/b+c"))).isFalse();
    }

    @Test
    void anEncodedAmpersandOrEqualsIsPartOfTheValue() {
      assertThat(CanonicalRequest.query("k=a%26b%3Dc", false)).isEqualTo("k=a%26b%3Dc");
      assertThat(CanonicalRequest.query("k=a&b=c", false)).isEqualTo("b=c&k=a");
    }

    @Test
    void emptyPairsFromStrayAmpersandsSignTheSameAsWithout() {
      RequestHead h = signed("a=1&b=2");

      assertThat(CanonicalRequest.query("&a=1&&b=2&", false)).isEqualTo("a=1&b=2");
      assertThat(verifies(resent(h, "&a=1&&b=2&"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k=%", "k=%2", "k=%zz", "%g1=v", "k=%\uFF12\uFF10"})
    void aBrokenEscapeIsMalformedNotAMismatch(String rawQuery) {
      RequestHead h = resent(signed("k=v"), rawQuery);

      AuthException e = s3Failure(h);

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(S3Errors.fromAuth(e).httpStatus()).isEqualTo(400);
    }
  }
}
