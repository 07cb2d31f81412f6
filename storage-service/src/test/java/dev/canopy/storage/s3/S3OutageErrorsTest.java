package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A store outage through the real S3 endpoint and the AWS SDK: {@code 503 ServiceUnavailable} in
 * S3's error document, as EC2 and the admin API answer the same outage, and no trace of the
 * exception in the body.
 */
class S3OutageErrorsTest {

  private static final String BUCKET = "outage";

  @TempDir Path dir;
  private S3TestServer s3;

  @BeforeEach
  void start() throws Exception {
    s3 = S3TestServer.withBucket(dir, BUCKET);
    s3.alice.putObject(b -> b.bucket(BUCKET).key("kept"), RequestBody.fromString("before the outage"));
  }

  @AfterEach
  void stop() throws Exception {
    s3.close();
  }

  @Test
  void anObjectStoreThatIsClosedIsServiceUnavailableForReadsAndWrites() {
    s3.store.close();

    assertServiceUnavailable(catchThrowableOfType(S3Exception.class,
        () -> s3.alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept"))));
    assertServiceUnavailable(catchThrowableOfType(S3Exception.class,
        () -> s3.alice.putObject(b -> b.bucket(BUCKET).key("new"), RequestBody.fromString("during the outage"))));
  }

  @Test
  void theErrorDocumentCarriesNoTraceOfTheException() throws Exception {
    s3.store.close();
    // Presigned, so the raw answer is seen exactly as any HTTP client gets it.
    URI url;
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.of(S3TestServer.REGION))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            S3TestServer.ALICE.accessKeyId(), S3TestServer.ALICE.secretAccessKey())))
        .build()) {
      url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket(BUCKET).key("kept"))).url().toURI();
    }

    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("<Error>", "<Code>ServiceUnavailable</Code>", "<RequestId>");
    assertThat(answer.body()).doesNotContain("Exception", "\tat ", "dev.canopy", "rocksdb", "closed");
  }

  @Test
  void aBucketRegistryWhoseStoreFailsIsServiceUnavailable() {
    s3.registry.failWrites(true);

    assertServiceUnavailable(catchThrowableOfType(S3Exception.class, () -> s3.alice.createBucket(b -> b.bucket("fresh"))));
    s3.registry.failWrites(false);
    assertThat(s3.registry.find("fresh")).as("nothing was half written").isEmpty();
  }

  private static void assertServiceUnavailable(S3Exception e) {
    assertThat(e).as("the call fails").isNotNull();
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Service is unable to handle request.");
  }
}
