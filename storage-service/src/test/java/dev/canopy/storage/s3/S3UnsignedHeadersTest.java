package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Headers that change what a request does count only when signed: a presigned upload link, or a
 * signed request someone extends on the way, cannot be turned into a copy, given metadata, an ACL
 * or a checksum its signer never chose. S3 answers such a request AccessDenied.
 */
class S3UnsignedHeadersTest {

  private static final String BUCKET = "uploads";
  private static final String SECRET = "the signer's private notes";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void upload() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("private/notes.txt"), RequestBody.fromString(SECRET));
  }

  private static URI presignedPut(Credential credential, String key, Map<String, String> metadata) {
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(s3.server().endpoint())
        .region(Region.of(S3TestServer.REGION))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .build()) {
      return URI.create(presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(r -> r.bucket(BUCKET).key(key).metadata(metadata))).url().toString());
    }
  }

  private static HttpResponse<String> put(URI url, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertRefusedAsUnsigned(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    assertThat(answer.body()).contains("<Code>AccessDenied</Code>")
        .contains("<Message>There were headers present in the request which were not signed</Message>");
  }

  @Test
  void anUnsignedCopySourceDoesNotTurnAPresignedUploadIntoACopyOfTheSignersObject() throws Exception {
    URI upload = presignedPut(S3TestServer.ALICE, "inbox/from-a-stranger.txt", Map.of());

    HttpResponse<String> answer = put(upload, "", "x-amz-copy-source", "/" + BUCKET + "/private/notes.txt");

    assertRefusedAsUnsigned(answer);
    assertThat(answer.body()).doesNotContain("CopyObjectResult");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("inbox/from-a-stranger.txt")), 404, null);
    // The link still does what it was made for.
    assertThat(put(upload, "hello").statusCode()).isEqualTo(200);
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("inbox/from-a-stranger.txt")).asUtf8String())
        .isEqualTo("hello");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-amz-meta-owner", "x-amz-acl", "x-amz-tagging", "x-amz-tagging-directive", "x-amz-storage-class",
      "x-amz-server-side-encryption", "x-amz-grant-read", "x-amz-website-redirect-location",
      "x-amz-object-lock-mode", "x-amz-checksum-sha256", "Content-MD5", "X-Amz-Meta-Mixed-Case"})
  void anOperationHeaderAddedToAPresignedUploadIsRefused(String header) throws Exception {
    String key = "inbox/" + header.toLowerCase(java.util.Locale.ROOT);
    // A value of the header's own syntax (a SHA-256's 32 bytes, an MD5's 16), so only the signature is wrong.
    String value = header.endsWith("sha256") ? "A".repeat(43) + "=" : "AAAAAAAAAAAAAAAAAAAAAA==";
    HttpResponse<String> answer = put(presignedPut(S3TestServer.ALICE, key, Map.of()), "x", header, value);
    assertRefusedAsUnsigned(answer);
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
  }

  @Test
  void metadataThePresignerSignedIsAccepted() throws Exception {
    URI upload = presignedPut(S3TestServer.ALICE, "inbox/with-metadata.txt", Map.of("owner", "alice"));
    HttpResponse<String> answer = put(upload, "signed metadata", "x-amz-meta-owner", "alice");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("inbox/with-metadata.txt")).metadata())
        .containsEntry("owner", "alice");
  }

  @Test
  void aHeaderAddedToAHeaderSignedRequestAfterSigningIsRefused() throws Exception {
    byte[] body = "signed body".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> answer = s3.http().sendAddingUnsigned("PUT", "/" + BUCKET + "/inbox/extended.txt", body,
        new String[] {"x-amz-copy-source", BUCKET + "/private/notes.txt"});
    assertRefusedAsUnsigned(answer);
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("inbox/extended.txt")), 404, null);
    // Signed, the same header works: the rule is about the signature, not the header.
    assertThat(s3.http().send("PUT", "/" + BUCKET + "/inbox/copied.txt", new byte[0],
        "x-amz-copy-source", BUCKET + "/private/notes.txt").statusCode()).isEqualTo(200);
  }
}
