package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Every error of the foundation provoked by a real request, checked for the AWS code and HTTP
 * status a client expects; the process stays healthy and nothing half-written is visible.
 */
class ErrorsIT {

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static StaticCredentialsProvider tenant;
  static String keyId;
  static String secret;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
    tenant = TenantClients.tenant(canopy);
    keyId = TenantClients.firstTenant(canopy).accessKeyId();
    secret = TenantClients.firstTenant(canopy).secretAccessKey();
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      s3.createBucket(b -> b.bucket("errors"));
      s3.putObject(p -> p.bucket("errors").key("ten-bytes"), RequestBody.fromString("0123456789"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(canopy.endpoint("management") + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
        assertThat(s3.getObjectAsBytes(g -> g.bucket("errors").key("ten-bytes")).asUtf8String()).isEqualTo("0123456789");
      }
      assertThat(canopy.log()).doesNotContain(" ERROR ").doesNotContain(secret);
    } finally {
      canopy.close();
    }
  }

  // ---- S3 ----

  @Test
  void anonymousRequestIsAccessDenied() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(canopy.endpoint("s3") + "/errors/ten-bytes")).build(), HttpResponse.BodyHandlers.ofString());
    assertS3Error(response, 403, "AccessDenied");
  }

  @Test
  void expiredPresignedUrlIsAccessDenied() throws Exception {
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(canopy.endpoint("s3"))).region(Region.of(canopy.region()))
        .credentialsProvider(tenant).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
      URI valid = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g.bucket("errors").key("ten-bytes"))).url().toURI();
      HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(valid).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("0123456789");

      URI soon = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1)).getObjectRequest(g -> g.bucket("errors").key("ten-bytes"))).url().toURI();
      HttpResponse<String> expired = await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> HTTP.send(HttpRequest.newBuilder(soon).build(), HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 403);
      assertS3Error(expired, 403, "AccessDenied");
    }
  }

  @Test
  void unknownKeyAndWrongSecret() {
    try (S3Client unknown = TenantClients.s3(canopy, TenantClients.provider("AKIAUNKNOWNUNKNOWN00", secret))) {
      assertSdkError(unknown::listBuckets, 403, "InvalidAccessKeyId");
    }
    try (S3Client wrong = TenantClients.s3(canopy, TenantClients.provider(keyId, "not-" + secret))) {
      assertSdkError(wrong::listBuckets, 403, "SignatureDoesNotMatch");
      assertSdkError(() -> wrong.putObject(p -> p.bucket("errors").key("never"), RequestBody.fromString("x")), 403, "SignatureDoesNotMatch");
    }
    assertNotStored("never");
  }

  @Test
  void skewedClockIsRequestTimeTooSkewed() throws Exception {
    URI uri = URI.create(canopy.endpoint("s3") + "/errors/ten-bytes");
    Clock twentyMinutesBehind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
    assertS3Error(HTTP.send(signed("GET", uri, "s3", null, twentyMinutesBehind, true), HttpResponse.BodyHandlers.ofString()), 403, "RequestTimeTooSkewed");
  }

  @Test
  void bodyThatDiffersFromItsSignedHashIsRefusedAndNotStored() throws Exception {
    URI uri = URI.create(canopy.endpoint("s3") + "/errors/tampered");
    // Signed for one body, sent with another of the same length.
    SignedRequest signed = sign("PUT", uri, "s3", "original".getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), true);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString("tampered"));
    copyHeaders(signed, request);
    assertS3Error(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()), 400, "XAmzContentSHA256Mismatch");
    assertNotStored("tampered");
  }

  @Test
  void contentMd5MismatchIsBadDigestAndNotStored() throws Exception {
    String otherMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("other".getBytes(StandardCharsets.UTF_8)));
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      assertSdkError(() -> s3.putObject(p -> p.bucket("errors").key("bad-md5").contentMD5(otherMd5), RequestBody.fromString("payload")), 400, "BadDigest");
    }
    assertNotStored("bad-md5");
  }

  @Test
  void missingThingsAndBadRanges() {
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      assertSdkError(() -> s3.listObjectsV2(l -> l.bucket("no-such-bucket")), 404, "NoSuchBucket");
      assertSdkError(() -> s3.getObjectAsBytes(g -> g.bucket("errors").key("no-such-key")), 404, "NoSuchKey");
      assertSdkError(() -> s3.getObjectAsBytes(g -> g.bucket("errors").key("ten-bytes").range("bytes=100-200")), 416, "InvalidRange");
      assertSdkError(() -> s3.uploadPart(u -> u.bucket("errors").key("k").uploadId("no-such-upload").partNumber(1), RequestBody.fromString("x")), 404, "NoSuchUpload");
      assertSdkError(() -> s3.abortMultipartUpload(a -> a.bucket("errors").key("k").uploadId("no-such-upload")), 404, "NoSuchUpload");
    }
  }

  @Test
  void badMultipartCompletions() {
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      String upload = s3.createMultipartUpload(c -> c.bucket("errors").key("multi")).uploadId();
      String etag1 = s3.uploadPart(u -> u.bucket("errors").key("multi").uploadId(upload).partNumber(1), RequestBody.fromString("small part")).eTag();
      String etag2 = s3.uploadPart(u -> u.bucket("errors").key("multi").uploadId(upload).partNumber(2), RequestBody.fromString("last part")).eTag();
      assertSdkError(() -> s3.completeMultipartUpload(c -> c.bucket("errors").key("multi").uploadId(upload)
          .multipartUpload(m -> m.parts(part(1, etag1), part(3, etag2)))), 400, "InvalidPart");
      assertSdkError(() -> s3.completeMultipartUpload(c -> c.bucket("errors").key("multi").uploadId(upload)
          .multipartUpload(m -> m.parts(part(1, etag1), part(2, etag2)))), 400, "EntityTooSmall");
      s3.abortMultipartUpload(a -> a.bucket("errors").key("multi").uploadId(upload));
    }
    assertNotStored("multi");
  }

  // ---- EC2 ----

  @Test
  void ec2Errors() throws Exception {
    URI ec2 = URI.create(canopy.endpoint("ec2") + "/");
    byte[] describe = "Action=DescribeRegions&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    HttpRequest unsigned = HttpRequest.newBuilder(ec2).header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(describe)).build();
    assertEc2Error(HTTP.send(unsigned, HttpResponse.BodyHandlers.ofString()), 401, "MissingAuthenticationToken");

    try (Ec2Client wrong = TenantClients.ec2(canopy, TenantClients.provider(keyId, "not-" + secret))) {
      assertSdkError(wrong::describeRegions, 403, "SignatureDoesNotMatch");
    }
    try (Ec2Client unknown = TenantClients.ec2(canopy, TenantClients.provider("AKIAUNKNOWNUNKNOWN00", secret))) {
      assertSdkError(unknown::describeRegions, 401, "AuthFailure");
    }
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
    assertEc2Error(HTTP.send(signed("POST", ec2, "ec2", describe, behind, false), HttpResponse.BodyHandlers.ofString()), 400, "RequestExpired");
    byte[] nonsense = "Action=DescribeNothing&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    assertEc2Error(HTTP.send(signed("POST", ec2, "ec2", nonsense, Clock.systemUTC(), false), HttpResponse.BodyHandlers.ofString()), 400, "InvalidAction");
    try (Ec2Client ec2Client = TenantClients.ec2(canopy, tenant)) {
      assertSdkError(() -> ec2Client.describeAvailabilityZones(d -> d.zoneNames("nowhere-1z")), 400, "InvalidParameterValue");
    }
  }

  // ---- helpers ----

  private static CompletedPart part(int number, String etag) {
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private static void assertNotStored(String key) {
    try (S3Client s3 = TenantClients.s3(canopy, tenant)) {
      assertThat(s3.listObjectsV2(l -> l.bucket("errors")).contents()).extracting(o -> o.key()).doesNotContain(key);
    }
  }

  private static void assertSdkError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(SdkServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(status);
          assertThat(((software.amazon.awssdk.awscore.exception.AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo(code);
        });
  }

  private static void assertS3Error(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Error>").contains("<Code>" + code + "</Code>").contains("<RequestId>");
  }

  private static void assertEc2Error(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Response><Errors><Error><Code>" + code + "</Code>");
  }

  /** Signed by the AWS SDK's own SigV4 signer, with a clock of the test's choosing. */
  private static SignedRequest sign(String method, URI uri, String service, byte[] body, Clock clock, boolean s3Style) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (service.equals("ec2")) {
      request.putHeader("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    }
    SdkHttpRequest built = request.build();
    return AwsV4HttpSigner.create().sign(r -> {
      r.identity(AwsCredentialsIdentity.create(keyId, secret))
          .request(built)
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
          .putProperty(AwsV4HttpSigner.REGION_NAME, canopy.region())
          .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
          .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3Style)
          .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3Style);
      if (body != null) {
        r.payload(ContentStreamProvider.fromByteArray(body));
      }
      if (s3Style) {
        r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true);
      }
    });
  }

  private static HttpRequest signed(String method, URI uri, String service, byte[] body, Clock clock, boolean s3Style) {
    SignedRequest signed = sign(method, uri, service, body, clock, s3Style);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    copyHeaders(signed, request);
    return request.build();
  }

  private static void copyHeaders(SignedRequest signed, HttpRequest.Builder request) {
    signed.request().headers().forEach((name, values) -> {
      if (!List.of("host", "content-length").contains(name.toLowerCase())) {
        values.forEach(v -> request.header(name, v));
      }
    });
  }

}
