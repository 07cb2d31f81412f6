package dev.canopy.deploy.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.deploy.it.CanopyProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FuzzIT} found, one focused case each: requests refused before any handler saw them
 * (a request line or header section over the HTTP decoder's limits, a prohibited header
 * character) and the admin API's own pre-call refusals (a body over its limit, a path outside
 * /admin) were answered by Vert.x with an empty body or an HTML page; they now come in each API's
 * error shape.
 */
class FuzzFindingsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Over Vert.x's default 4096-byte request line and 8192-byte header section. */
  private static final String LONG = "a".repeat(10_000);

  @TempDir static Path dir;
  static CanopyProcess canopy;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  private static RawHttp.Answer unsigned(String endpoint, String method, String target, Map<String, String> headers, byte[] body)
      throws Exception {
    URI uri = URI.create(canopy.endpoint(endpoint));
    Map<String, String> withHost = new java.util.LinkedHashMap<>(headers);
    withHost.put("host", uri.getRawAuthority());
    return RawHttp.exchange(uri.getHost(), uri.getPort(), method, target, withHost, body, TIMEOUT);
  }

  @Test
  void ec2AnswersUndecodableRequestsInItsEnvelope() throws Exception {
    for (RawHttp.Answer answer : new RawHttp.Answer[] {
        unsigned("ec2", "GET", "/?Action=DescribeRegions&x=" + LONG, Map.of(), new byte[0]),
        unsigned("ec2", "GET", "/", Map.of("x-big", LONG), new byte[0]),
        unsigned("ec2", "POST", "/", Map.of("content-type", "a\u000bb"), new byte[0])}) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(400);
      assertThat(answer.text()).contains("<Response><Errors><Error><Code>InvalidRequest</Code>").contains("<RequestID>");
    }
  }

  @Test
  void s3AnswersUndecodableRequestsWithItsXmlError() throws Exception {
    RawHttp.Answer longLine = unsigned("s3", "GET", "/bucket/" + LONG, Map.of(), new byte[0]);
    assertThat(longLine.status()).isEqualTo(400);
    assertThat(longLine.text()).contains("<Error><Code>InvalidURI</Code>").contains("<RequestId>");

    RawHttp.Answer bigHeaders = unsigned("s3", "GET", "/bucket/key", Map.of("x-amz-meta-big", LONG), new byte[0]);
    assertThat(bigHeaders.status()).isEqualTo(400);
    assertThat(bigHeaders.text()).contains("<Error><Code>RequestHeaderSectionTooLarge</Code>");

    RawHttp.Answer badHeader = unsigned("s3", "GET", "/bucket/key", Map.of("x-amz-meta-a", "a\u000cb"), new byte[0]);
    assertThat(badHeader.status()).isEqualTo(400);
    assertThat(badHeader.text()).contains("<Error><Code>InvalidRequest</Code>");
  }

  @Test
  void theAdminApiAnswersUndecodableRequestsInJson() throws Exception {
    assertAdminError(unsigned("console", "GET", "/admin/v1/accounts?x=" + LONG, Map.of(), new byte[0]), 414, "InvalidRequest");
    assertAdminError(unsigned("console", "GET", "/admin/v1/accounts", Map.of("x-big", LONG), new byte[0]), 431, "InvalidRequest");
  }

  @Test
  void theAdminApiAnswersAnOversizedBodyAndAnUnknownPathInJson() throws Exception {
    Credential admin = CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE,
        IdentityService.ADMIN_ACCOUNT_ID).orElseThrow();
    SignedSender console = new SignedSender(URI.create(canopy.endpoint("console")), admin, canopy.region(), "canopy", TIMEOUT);
    byte[] oversized = ("{\"name\":\"" + "a".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);

    assertAdminError(console.send(new FuzzRequest("POST", "/admin/v1/accounts", Map.of("content-type", "application/json"), oversized)),
        413, "EntityTooLarge");
    assertAdminError(console.send(new FuzzRequest("GET", "/admin/%2e%2e/x", Map.of(), new byte[0])), 404, "NotFound");
    assertAdminError(console.send(new FuzzRequest("GET", "/favicon.ico", Map.of(), new byte[0])), 404, "NotFound");
  }

  private static void assertAdminError(RawHttp.Answer answer, int status, String code) throws Exception {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    JsonNode json = new ObjectMapper().readTree(answer.text());
    assertThat(json.path("code").asText()).as(answer.text()).isEqualTo(code);
    assertThat(json.path("message").isTextual()).isTrue();
  }
}
