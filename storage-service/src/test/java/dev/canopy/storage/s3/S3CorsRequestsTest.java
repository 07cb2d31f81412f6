package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CORSRule;

/**
 * Browsers' side of CORS: unauthenticated preflights ({@code OPTIONS}) answered from the bucket's
 * rules, and the Access-Control-* headers on actual requests, errors included. Origin is a
 * restricted header of java.net.http; the test JVM allows it (storage-service's pom).
 */
class S3CorsRequestsTest {

  private static final String BUCKET = "cors-web";
  private static final String APP = "https://app.example.com";
  private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void rules() {
    CORSRule uploads = CORSRule.builder().allowedOrigins(APP).allowedMethods("PUT", "POST")
        .allowedHeaders("content-type", "x-amz-*").exposeHeaders("ETag").maxAgeSeconds(600).build();
    CORSRule reads = CORSRule.builder().allowedOrigins("*").allowedMethods("GET", "HEAD").build();
    s3.alice().putBucketCors(p -> p.bucket(BUCKET).corsConfiguration(c -> c.corsRules(uploads, reads)));
    s3.alice().putObject(p -> p.bucket(BUCKET).key("photo.jpg"), RequestBody.fromString("jpeg"));
    s3.alice().createBucket(c -> c.bucket("cors-off"));
  }

  private static HttpResponse<String> preflight(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s3.server().endpoint() + path))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPreflightMatchingARuleNamesTheOriginMethodsRequestedHeadersAndMaxAge() throws Exception {
    HttpResponse<String> answer = preflight("/" + BUCKET + "/uploads/new.jpg", "Origin", APP,
        "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type, x-amz-date");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(answer.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT, POST");
    assertThat(answer.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, x-amz-date");
    assertThat(answer.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
    assertThat(answer.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(answer.headers().firstValue("Vary")).hasValue(VARY);
  }

  @Test
  void aRuleForAnyOriginAnswersAStarWithoutCredentials() throws Exception {
    HttpResponse<String> answer = preflight("/" + BUCKET, "Origin", "https://elsewhere.example.net",
        "Access-Control-Request-Method", "GET");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(answer.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD");
  }

  @Test
  void aPreflightNoRuleAllowsIsAccessForbidden() throws Exception {
    assertError(preflight("/" + BUCKET + "/k", "Origin", APP, "Access-Control-Request-Method", "DELETE"),
        403, "AccessForbidden", "This CORS request is not allowed");
    assertError(preflight("/" + BUCKET + "/k", "Origin", APP, "Access-Control-Request-Method", "PUT",
        "Access-Control-Request-Headers", "content-type, authorization"), 403, "AccessForbidden", "This CORS request is not allowed");
    assertError(preflight("/" + BUCKET + "/k", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "PUT"),
        403, "AccessForbidden", "This CORS request is not allowed");
  }

  @Test
  void aPreflightWithoutOriginOrMethodIsBadRequest() throws Exception {
    assertError(preflight("/" + BUCKET + "/k", "Access-Control-Request-Method", "GET"), 400, "BadRequest", "Origin request header needed");
    assertError(preflight("/" + BUCKET + "/k", "Origin", APP), 400, "BadRequest", "Access-Control-Request-Method");
    assertError(preflight("/" + BUCKET + "/k", "Origin", APP, "Access-Control-Request-Method", "PATCH"), 400, "BadRequest",
        "Access-Control-Request-Method");
  }

  @Test
  void aPreflightToABucketWithoutRulesOrToNoBucketIsAccessForbidden() throws Exception {
    assertError(preflight("/cors-off/k", "Origin", APP, "Access-Control-Request-Method", "GET"),
        403, "AccessForbidden", "CORS is not enabled for this bucket.");
    assertError(preflight("/no-such-bucket-here/k", "Origin", APP, "Access-Control-Request-Method", "GET"),
        403, "AccessForbidden", "Bucket not found");
  }

  @Test
  void aPreflightWorksVirtualHostStyle() throws Exception {
    String answer = raw("OPTIONS /uploads/new.jpg HTTP/1.1\r\nHost: " + BUCKET + "." + S3TestServer.BASE_DOMAIN + "\r\nOrigin: " + APP
        + "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("access-control-allow-origin: " + APP);
  }

  @Test
  void anActualRequestWhoseOriginARuleAllowsCarriesTheCorsHeadersOnSuccessAndOnError() throws Exception {
    HttpResponse<String> read = s3.http().send("GET", "/" + BUCKET + "/photo.jpg", new byte[0], "Origin", "https://any.example.net");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(read.headers().firstValue("Vary")).hasValue(VARY);

    HttpResponse<String> missing = s3.http().send("GET", "/" + BUCKET + "/missing.jpg", new byte[0], "Origin", "https://any.example.net");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

    // An anonymous request is refused, and the page may still read why.
    HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(s3.server().endpoint() + "/" + BUCKET + "/x"))
        .PUT(HttpRequest.BodyPublishers.ofString("x")).header("Origin", APP).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(anonymous.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT, POST");
    assertThat(anonymous.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
  }

  @Test
  void anActualRequestNoRuleAllowsGetsNoAccessControlHeaders() throws Exception {
    HttpResponse<String> delete = s3.http().send("DELETE", "/" + BUCKET + "/other", new byte[0], "Origin", APP);
    assertThat(delete.statusCode()).isEqualTo(204);
    assertThat(delete.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(delete.headers().firstValue("Vary")).hasValue(VARY);
    HttpResponse<String> noOrigin = s3.http().send("GET", "/" + BUCKET + "/photo.jpg", new byte[0]);
    assertThat(noOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  private static String raw(String request) {
    try (Socket socket = new Socket("127.0.0.1", s3.server().port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertError(HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Code>" + code + "</Code>").contains(message);
  }
}
