package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

/** PutBucketCors, GetBucketCors and DeleteBucketCors through the SDK, and every way S3 refuses a configuration. */
class S3BucketCorsTest {

  private static final String BUCKET = "cors-config";
  /** S3's limit of rules per bucket. */
  private static final int RULES_MAX = 100;

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static CORSRule rule(String origin, String... methods) {
    return CORSRule.builder().allowedOrigins(origin).allowedMethods(methods).build();
  }

  @Test
  void aConfigurationIsStoredAndReturnedRuleByRule() {
    S3Client alice = s3.alice();
    CORSRule full = CORSRule.builder().id("uploads").allowedOrigins("https://app.example.com", "https://*.example.org")
        .allowedMethods("PUT", "POST").allowedHeaders("Content-Type", "x-amz-*").exposeHeaders("ETag", "x-amz-request-id")
        .maxAgeSeconds(3000).build();
    alice.putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(full, rule("*", "GET", "HEAD"))));

    List<CORSRule> rules = alice.getBucketCors(g -> g.bucket(BUCKET)).corsRules();

    assertThat(rules).containsExactly(full, rule("*", "GET", "HEAD"));
    alice.deleteBucketCors(d -> d.bucket(BUCKET));
    assertS3Error(() -> alice.getBucketCors(g -> g.bucket(BUCKET)), 404, "NoSuchCORSConfiguration");
  }

  @Test
  void aBucketWithoutConfigurationAnswersNoSuchCorsConfigurationAndDeleteSucceedsAnyway() {
    s3.alice().createBucket(c -> c.bucket("cors-none"));
    assertS3Error(() -> s3.alice().getBucketCors(g -> g.bucket("cors-none")), 404, "NoSuchCORSConfiguration");
    s3.alice().deleteBucketCors(d -> d.bucket("cors-none"));
  }

  @Test
  void methodsOtherThanTheFiveOfCorsAreInvalidRequest() {
    assertS3Error(() -> s3.alice().putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(rule("*", "GET", "PATCH")))),
        400, "InvalidRequest");
  }

  @Test
  void anOriginOrHeaderWithTwoWildcardsIsInvalidRequest() {
    assertS3Error(() -> s3.alice().putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(rule("https://*.*.com", "GET")))),
        400, "InvalidRequest");
    CORSRule headers = CORSRule.builder().allowedOrigins("*").allowedMethods("GET").allowedHeaders("x-*-*").build();
    assertS3Error(() -> s3.alice().putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(headers))),
        400, "InvalidRequest");
  }

  @Test
  void badDocumentsAreMalformedXml() throws Exception {
    assertThat(putRaw("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"))
        .satisfies(r -> assertError(r, 400, "MalformedXML"));
    assertThat(putRaw("<CORSConfiguration></CORSConfiguration>")).satisfies(r -> assertError(r, 400, "MalformedXML"));
    assertThat(putRaw("<CORSConfiguration><CORSRule>")).satisfies(r -> assertError(r, 400, "MalformedXML"));
    assertThat(putRaw("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
        + "<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>")).satisfies(r -> assertError(r, 400, "MalformedXML"));
    String rule = "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>";
    assertThat(putRaw("<CORSConfiguration>" + rule.repeat(RULES_MAX + 1) + "</CORSConfiguration>"))
        .satisfies(r -> assertError(r, 400, "MalformedXML"));
    assertThat(putRaw("<CORSConfiguration>" + rule.repeat(RULES_MAX) + "</CORSConfiguration>").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aBodyWithoutContentMd5IsInvalidRequest() throws Exception {
    byte[] body = ("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
        + "</CORSRule></CORSConfiguration>").getBytes(StandardCharsets.UTF_8);
    assertError(s3.http().send("PUT", "/" + BUCKET + "?cors", body), 400, "InvalidRequest");
  }

  @Test
  void anotherAccountCanNeitherReadNorSetTheConfiguration() {
    try (S3Client bob = s3.server().client(S3TestServer.BOB)) {
      assertS3Error(() -> bob.getBucketCors(g -> g.bucket(BUCKET)), 403, "AccessDenied");
      assertS3Error(() -> bob.putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(rule("*", "GET")))),
          403, "AccessDenied");
      assertS3Error(() -> bob.deleteBucketCors(d -> d.bucket(BUCKET)), 403, "AccessDenied");
    }
  }

  private static HttpResponse<String> putRaw(String xml) throws Exception {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    return s3.http().send("PUT", "/" + BUCKET + "?cors", body, "Content-MD5", md5);
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Code>" + code + "</Code>");
  }
}
