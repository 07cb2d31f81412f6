package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned URLs through the real endpoint, as a browser or curl uses them: what the SDK's
 * presigner hands out works for exactly the request it names, for as long as it says, and not for
 * another key, another method, another lifetime or another account's object.
 */
class S3PresignedUrlTest {

  private static final String BUCKET = "shared-links";
  private static final String SECRET_TEXT = "quarterly numbers, not for everyone";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void upload() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("report.txt"), RequestBody.fromString(SECRET_TEXT));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("other.txt"), RequestBody.fromString("another object"));
  }

  private static S3Presigner presigner(Credential credential) {
    return S3Presigner.builder().endpointOverride(s3.server().endpoint()).region(Region.of(S3TestServer.REGION))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .build();
  }

  private static URI presignedGet(Credential credential, String key) throws Exception {
    try (S3Presigner presigner = presigner(credential)) {
      return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket(BUCKET).key(key))).url().toURI();
    }
  }

  /** Canopy's own signer at a chosen instant: the SDK's presigner always signs "now". */
  private static URI presignedAt(Instant signedAt, Duration expires, Credential credential, String key) {
    return new SigV4Signer(InstantSource.fixed(signedAt)).presign("GET",
        URI.create(s3.server().endpoint() + "/" + BUCKET + "/" + key), expires, credential, S3TestServer.REGION, "s3");
  }

  private static HttpResponse<String> send(String method, URI url, String body) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return HTTP.send(HttpRequest.newBuilder(url).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertError(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).contains("<Code>" + code + "</Code>");
    assertThat(answer.body()).as("nothing of the object leaks into an error").doesNotContain(SECRET_TEXT);
  }

  @Test
  void aPresignedGetServesTheObjectToAPlainHttpClient() throws Exception {
    HttpResponse<String> answer = send("GET", presignedGet(S3TestServer.ALICE, "report.txt"), null);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(SECRET_TEXT);
    String etag = s3.alice().headObject(b -> b.bucket(BUCKET).key("report.txt")).eTag();
    assertThat(answer.headers().firstValue("ETag")).contains(etag);
  }

  @Test
  void aPresignedPutStoresWhatTheHolderUploads() throws Exception {
    URI url;
    try (S3Presigner presigner = presigner(S3TestServer.ALICE)) {
      url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(r -> r.bucket(BUCKET).key("upload-by-link.txt"))).url().toURI();
    }

    HttpResponse<String> answer = send("PUT", url, "uploaded through a link");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("upload-by-link.txt")).asUtf8String())
        .isEqualTo("uploaded through a link");
  }

  @Test
  void aUrlWithinItsLifetimeWorksAndOnePastItIsAccessDeniedAsExpired() throws Exception {
    Instant now = Clock.systemUTC().instant();
    URI fresh = presignedAt(now.minus(Duration.ofMinutes(50)), Duration.ofHours(1), S3TestServer.ALICE, "report.txt");
    URI stale = presignedAt(now.minus(Duration.ofMinutes(70)), Duration.ofHours(1), S3TestServer.ALICE, "report.txt");

    assertThat(send("GET", fresh, null).body()).isEqualTo(SECRET_TEXT);
    HttpResponse<String> expired = send("GET", stale, null);
    assertError(expired, 403, "AccessDenied");
    assertThat(expired.body()).contains("Request has expired");
  }

  @Test
  void aUrlForOneKeyDoesNotOpenAnotherInTheSameBucket() throws Exception {
    URI url = presignedGet(S3TestServer.ALICE, "other.txt");
    URI retargeted = URI.create(url.toString().replace("/other.txt?", "/report.txt?"));

    assertError(send("GET", retargeted, null), 403, "SignatureDoesNotMatch");
  }

  @Test
  void aPresignedGetSentAsADeleteIsRefusedAndTheObjectStays() throws Exception {
    URI url = presignedGet(S3TestServer.ALICE, "report.txt");

    assertError(send("DELETE", url, null), 403, "SignatureDoesNotMatch");
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("report.txt")).asUtf8String()).isEqualTo(SECRET_TEXT);
  }

  @Test
  void aLongerLifetimeWrittenIntoTheUrlAfterSigningIsRefused() throws Exception {
    URI url = presignedGet(S3TestServer.ALICE, "report.txt");
    URI stretched = URI.create(url.toString().replace("X-Amz-Expires=300", "X-Amz-Expires=3600"));
    assertThat(stretched).isNotEqualTo(url);

    assertError(send("GET", stretched, null), 403, "SignatureDoesNotMatch");
  }

  @Test
  void aLifetimeBeyondAWeekIsAnAuthorizationQueryParametersError() throws Exception {
    URI url = presignedAt(Clock.systemUTC().instant(), Duration.ofHours(1), S3TestServer.ALICE, "report.txt");
    URI tooLong = URI.create(url.toString().replace("X-Amz-Expires=3600", "X-Amz-Expires=604801"));

    assertError(send("GET", tooLong, null), 400, "AuthorizationQueryParametersError");
  }

  @Test
  void aUrlSignedWithAKeyTheCloudNeverIssuedIsInvalidAccessKeyId() throws Exception {
    Credential unknown = new Credential("AKIANOBODY0000000001", "whatever-secret", "333333333333");

    assertError(send("GET", presignedGet(unknown, "report.txt"), null), 403, "InvalidAccessKeyId");
  }

  @Test
  void anotherAccountsValidLinkDoesNotOpenAlicesObject() throws Exception {
    assertError(send("GET", presignedGet(S3TestServer.BOB, "report.txt"), null), 403, "AccessDenied");
  }
}
