package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.CREDENTIAL;
import static dev.canopy.api.auth.TestRequests.NOW;
import static dev.canopy.api.auth.TestRequests.REGION;
import static dev.canopy.api.auth.TestRequests.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.http.RequestHead;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Canopy's signer against Canopy's verifier, and against the AWS SDK's signer. */
class SigV4SignerRoundTripTest {

  private static final SigV4Signer SIGNER = new SigV4Signer(InstantSource.fixed(NOW));

  /** The request as the server sees it: the signer's headers, plus Host for presigned URLs. */
  private static RequestHead head(String method, URI uri, Map<String, String> sent) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    all.put("host", List.of(uri.getRawAuthority()));
    sent.forEach((k, v) -> all.put(k, List.of(v)));
    return new RequestHead(method, uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(), all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "ec2", "canopy"})
  void signedRequestsVerify(String service) throws Exception {
    URI uri = URI.create("http://127.0.0.1:8780/admin/accounts/a%20b?Action=List&Marker=x%2By&Empty=");
    byte[] body = "{\"name\":\"tenant\"}".getBytes(StandardCharsets.UTF_8);

    Map<String, String> sent =
        SIGNER.sign("POST", uri, Map.of("Content-Type", "application/json"), body, CREDENTIAL, REGION, service);

    assertThat(sent)
        .containsOnlyKeys("content-type", "host", "x-amz-date", "x-amz-content-sha256", "authorization")
        .containsEntry("host", "127.0.0.1:8780");
    RequestHead head = head("POST", uri, sent);
    assertThat(verifier(service).verifyWhole(head, body).accountId()).isEqualTo(TestRequests.ACCOUNT);
    assertThat(TestRequests.decode(verifier(service).verify(head), body).payload()).isEqualTo(body);
  }

  @Test
  void theSameSignatureAsTheAwsSdk() {
    byte[] body = "same bytes".getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest sdkRequest =
        SdkSigning.request(SdkHttpMethod.PUT, "/bucket/a%20key")
            .putRawQueryParameter("tagging", "")
            .putHeader("Content-Type", "text/plain")
            .build();
    SdkSigning.Signed sdk = SdkSigning.signS3(sdkRequest, body, p -> {});

    Map<String, String> ours =
        SIGNER.sign(
            "PUT",
            URI.create("https://s3.example.com:8779/bucket/a%20key?tagging="),
            Map.of("Content-Type", "text/plain"),
            body,
            CREDENTIAL,
            REGION,
            "s3");

    assertThat(ours.get("authorization")).isEqualTo(sdk.head().header("authorization").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "ec2"})
  void presignedUrlsVerifyUntilTheyExpire(String service) throws Exception {
    URI uri =
        SIGNER.presign(
            "GET", URI.create("https://h.example:8779/bucket/k%C3%A9y?versionId=3"), Duration.ofMinutes(5),
            CREDENTIAL, REGION, service);
    RequestHead head = head("GET", uri, Map.of());

    assertThat(uri.getRawQuery()).startsWith("versionId=3&X-Amz-Algorithm=AWS4-HMAC-SHA256&");
    assertThat(verifier(service).verifyWhole(head, new byte[0]).accessKeyId()).isEqualTo(TestRequests.ACCESS_KEY);
    assertThatThrownBy(() -> verifier(service, NOW.plus(Duration.ofMinutes(6)), REGION).verifyWhole(head, new byte[0]))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(AuthException.Kind.EXPIRED));
  }

  @Test
  void presignRefusesExpiriesAwsWouldRefuse() {
    URI uri = URI.create("https://h/b/k");

    assertThatThrownBy(() -> SIGNER.presign("GET", uri, Duration.ofDays(8), CREDENTIAL, REGION, "s3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SIGNER.presign("GET", uri, Duration.ZERO, CREDENTIAL, REGION, "s3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void plainBodiesDecodeTheSameUnderAnySplit(long seed) throws Exception {
    byte[] body = TestRequests.randomBytes(seed, 70_000);
    URI uri = URI.create("http://s3.local:8779/bucket/object");
    RequestHead head = head("PUT", uri, SIGNER.sign("PUT", uri, Map.of(), body, CREDENTIAL, REGION, "s3"));
    VerifiedRequest verified = verifier("s3").verify(head);
    TestRequests.Decoded whole = TestRequests.decode(verified, body);

    PayloadVerifier split = verified.newPayloadVerifier();
    byte[] decoded = TestRequests.feed(split, body, new Random(seed), 4096);
    PayloadDigests digests = split.finish();

    assertThat(decoded).isEqualTo(body);
    assertThat(digests.md5()).isEqualTo(whole.digests().md5());
    assertThat(digests.length()).isEqualTo(body.length);
  }
}
