package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Someone who sees one signed request must not be able to replay its signature with another
 * body. The requests are signed by the AWS SDK's own signer as a client would sign them, with
 * x-amz-content-sha256 naming the body's hash or UNSIGNED-PAYLOAD (the SDK's choice over HTTPS
 * with payload signing off), then sent with a different body.
 */
class SignedBodyIT {

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  @Test
  void anEc2SignatureDoesNotCreateAKeyPairFromAnotherBody() throws Exception {
    Credential tenant = TenantClients.firstTenant(canopy);
    URI ec2 = URI.create(canopy.endpoint("ec2") + "/");
    byte[] seen = "Action=DescribeKeyPairs&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    byte[] swapped = "Action=CreateKeyPair&Version=2016-11-15&KeyName=swapped".getBytes(StandardCharsets.UTF_8);

    for (boolean payloadSigned : List.of(false, true)) {
      SignedRequest signed = sign(ec2, seen, tenant, "ec2", payloadSigned);
      HttpResponse<String> response = HTTP.send(withBody(ec2, signed, swapped), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
      assertThat(response.body()).contains("<Response><Errors><Error><Code>SignatureDoesNotMatch</Code>");
    }
    try (Ec2Client client = TenantClients.ec2(canopy, TenantClients.tenant(canopy))) {
      assertThat(client.describeKeyPairs().keyPairs()).extracting(k -> k.keyName()).doesNotContain("swapped");
    }
  }

  @Test
  void anAdminSignatureDoesNotIssueATokenFromAnotherBody() throws Exception {
    Credential admin = CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE,
        IdentityService.ADMIN_ACCOUNT_ID).orElseThrow();
    URI tokens = URI.create(canopy.endpoint("console") + "/admin/v1/tokens");
    byte[] seen = "{\"ttlSeconds\":60}".getBytes(StandardCharsets.UTF_8);
    byte[] swapped = "{\"ttlSeconds\":604800}".getBytes(StandardCharsets.UTF_8);

    for (boolean payloadSigned : List.of(false, true)) {
      SignedRequest signed = sign(tokens, seen, admin, "canopy", payloadSigned);
      HttpResponse<String> response = HTTP.send(withBody(tokens, signed, swapped), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
      assertThat(new ObjectMapper().readTree(response.body()).path("code").asText()).isEqualTo("SignatureDoesNotMatch");
      assertThat(response.body()).doesNotContain("canopy1.");
    }
    // The only trace an issued token leaves outside the grid (tokens are stored hashed).
    assertThat(canopy.log()).doesNotContain("token valid for 604800 s");
  }

  /** Signed by the SDK for https, which is the only case where it leaves the payload unsigned. */
  private static SignedRequest sign(URI uri, byte[] body, Credential key, String service, boolean payloadSigned) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create(uri.toString().replaceFirst("^http:", "https:")));
    if (service.equals("ec2")) {
      request.putHeader("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    }
    SdkHttpRequest built = request.build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
        .request(built)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, canopy.region())
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigned));
    assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow().equals("UNSIGNED-PAYLOAD"))
        .isEqualTo(!payloadSigned);
    return signed;
  }

  /** The signed headers as they were, the body another one. */
  private static HttpRequest withBody(URI uri, SignedRequest signed, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.request().headers().forEach((name, values) -> {
      if (!List.of("host", "content-length").contains(name.toLowerCase())) {
        values.forEach(v -> request.header(name, v));
      }
    });
    return request.build();
  }
}
