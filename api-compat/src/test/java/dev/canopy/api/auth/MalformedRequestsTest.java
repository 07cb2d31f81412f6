package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.CREDENTIAL;
import static dev.canopy.api.auth.TestRequests.NOW;
import static dev.canopy.api.auth.TestRequests.REGION;
import static dev.canopy.api.auth.TestRequests.verifier;
import static dev.canopy.api.auth.TestRequests.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.RequestHead;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests that cannot be verified at all, and the S3 and EC2 errors they turn into. */
class MalformedRequestsTest {

  private static final URI URI_S3 = URI.create("http://s3.local:8779/bucket/key?acl=");

  private static RequestHead signed(String service) {
    SigV4Signer signer = new SigV4Signer(InstantSource.fixed(NOW));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    signer
        .sign("GET", URI_S3, Map.of(), new byte[0], CREDENTIAL, REGION, service)
        .forEach((k, v) -> headers.put(k, List.of(v)));
    return new RequestHead("GET", URI_S3.getRawPath(), URI_S3.getRawQuery(), headers);
  }

  private static RequestHead withAuthorization(String value) {
    return withHeader(signed("s3"), "authorization", value);
  }

  private static AuthException failure(String service, RequestHead head) {
    try {
      verifier(service).verify(head);
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("verified: " + head);
  }

  @Test
  void sigV2IsNotSupported() {
    AuthException e = failure("s3", withAuthorization("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="));

    assertThat(e.detail()).isEqualTo(Detail.UNSUPPORTED_ALGORITHM);
    assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidRequest");
    assertThat(Ec2Errors.fromAuth(e).code()).isEqualTo("IncompleteSignature");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2024-05-01/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3, SignedHeaders=host, Signature=" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3/aws4_request, SignedHeaders=x-amz-date, Signature=" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=nothex",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
        "AWS4-HMAC-SHA256 garbage",
        "AWS4-HMAC-SHA256 Credential=a, Credential=b, SignedHeaders=host, Signature=x",
      })
  void unparseableAuthorizationHeaders(String authorization) {
    AuthException e = failure("s3", withAuthorization(authorization));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.presigned()).isFalse();
    AwsException s3 = S3Errors.fromAuth(e);
    assertThat(s3.code()).isEqualTo("AuthorizationHeaderMalformed");
    assertThat(s3.httpStatus()).isEqualTo(400);
    assertThat(s3.getMessage()).startsWith("The authorization header is malformed; ");
  }

  @Test
  void aCredentialDateThatIsNotTheRequestDate() {
    RequestHead h = signed("s3");
    String auth = h.header("authorization").orElseThrow().replace("/20240501/", "/20240430/");

    AuthException e = failure("s3", withHeader(h, "authorization", auth));

    assertThat(e.detail()).isEqualTo(Detail.CREDENTIAL_SCOPE);
    assertThat(e.getMessage()).contains("Date is not the same as X-Amz-Date");
  }

  @Test
  void anUnparseableDate() {
    AuthException e = failure("s3", withHeader(signed("s3"), "x-amz-date", "2024-05-01T12:00:00Z"));

    assertThat(e.detail()).isEqualTo(Detail.MISSING_DATE);
    assertThat(S3Errors.fromAuth(e).httpStatus()).isEqualTo(403);
    assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AccessDenied");
  }

  @Test
  void anUnknownPayloadMode() {
    AuthException e = failure("s3", withHeader(signed("s3"), "x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"));

    assertThat(e.detail()).isEqualTo(Detail.INVALID_CONTENT_SHA256);
    assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidArgument");
  }

  @Test
  void aBrokenPercentEscapeInTheQuery() {
    RequestHead h = signed("s3");
    RequestHead broken = new RequestHead(h.method(), h.rawPath(), "acl=&x=%G1", h.headers());

    assertThat(failure("s3", broken).kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void aHeaderAndAPresignedUrlTogether() {
    RequestHead h = signed("s3");
    RequestHead both =
        new RequestHead(h.method(), h.rawPath(), h.rawQuery() + "&X-Amz-Credential=AKID%2F20240501%2Fus-east-1%2Fs3%2Faws4_request", h.headers());

    assertThat(failure("s3", both).kind()).isEqualTo(Kind.MALFORMED);
  }

  @ParameterizedTest
  @CsvSource({"X-Amz-Expires=604800,X-Amz-Expires=604801", "X-Amz-Expires=604800,X-Amz-Expires=0",
      "X-Amz-Expires=604800,X-Amz-Expires=soon", "X-Amz-Algorithm=AWS4-HMAC-SHA256,X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256",
      "&X-Amz-SignedHeaders=host,", "X-Amz-Date=20240501T120000Z,X-Amz-Date=20240501"})
  void badPresignedParameters(String from, String to) {
    SigV4Signer signer = new SigV4Signer(InstantSource.fixed(NOW));
    URI uri = signer.presign("GET", URI_S3, Duration.ofDays(7), CREDENTIAL, REGION, "s3");
    RequestHead head =
        new RequestHead("GET", uri.getRawPath(), uri.getRawQuery().replace(from, to == null ? "" : to), Map.of("host", List.of(uri.getRawAuthority())));

    AuthException e = failure("s3", head);

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.presigned()).isTrue();
    assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AuthorizationQueryParametersError");
  }

  @Test
  void ec2MapsAScopeForAnotherRegionToAuthFailure() {
    RequestHead h = signed("ec2");
    try {
      verifier("ec2", NOW, "eu-west-1").verifyWhole(h, new byte[0]);
      throw new AssertionError("verified");
    } catch (AuthException e) {
      AwsException ec2 = Ec2Errors.fromAuth(e);
      assertThat(ec2.code()).isEqualTo("AuthFailure");
      assertThat(ec2.httpStatus()).isEqualTo(401);
    }
  }

  @Test
  void errorMessagesNeverContainTheSecret() {
    RequestHead h = signed("s3");
    List<RequestHead> bad =
        List.of(
            withHeader(h, "authorization", h.header("authorization").orElseThrow().replace("Signature=", "Signature=0")),
            withHeader(h, "x-amz-date", "20240501T130000Z"),
            withHeader(h, "authorization", h.header("authorization").orElseThrow().replace("us-east-1", "xx")));
    for (RequestHead head : bad) {
      AuthException e = failure("s3", head);
      assertThat(e.getMessage()).doesNotContain(TestRequests.SECRET);
      assertThat(S3Errors.toXml(S3Errors.fromAuth(e), "/bucket/key", "req")).doesNotContain(TestRequests.SECRET);
    }
  }
}
