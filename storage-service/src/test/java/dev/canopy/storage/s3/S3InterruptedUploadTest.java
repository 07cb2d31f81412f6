package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.local.StoreProbe;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Uploads that do not finish, and a server that restarts: a PUT or UploadPart whose client goes
 * away mid-body leaves no object, no part and no chunk behind (its blob is aborted at once, not
 * only at the next start); a body shorter or longer than declared is IncompleteBody; and everything
 * acknowledged survives closing and reopening the store.
 */
class S3InterruptedUploadTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  S3TestServer s3;
  S3Client alice;
  static final String BUCKET = "interrupted";

  @BeforeEach
  void start() throws Exception {
    s3 = S3TestServer.withBucket(dir, BUCKET);
    alice = s3.alice;
  }

  @AfterEach
  void stop() throws Exception {
    s3.close();
  }

  /**
   * Sends a correctly signed PUT head (UNSIGNED-PAYLOAD, so the signature does not depend on the
   * body) declaring {@code declared} bytes, then only {@code sent} bytes, then closes the socket.
   */
  private void putAndHangUp(String pathAndQuery, int declared, int sent) throws Exception {
    URI uri = URI.create(s3.endpoint() + pathAndQuery);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
        .putHeader("Content-Length", Integer.toString(declared))
        .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(ALICE.accessKeyId(), ALICE.secretAccessKey()))
        .request(request)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, S3TestServer.REGION)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    StringBuilder head = new StringBuilder("PUT " + pathAndQuery + " HTTP/1.1\r\n");
    signed.request().forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
    head.append("\r\n");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      byte[] body = randomBytes(sent, sent);
      for (int offset = 0; offset < sent; offset += 64 * 1024) {
        out.write(body, offset, Math.min(64 * 1024, sent - offset));
      }
      out.flush();
    }
  }

  /** Until the server notices the hang-up and aborts, chunks may still be there; then none. */
  private void awaitChunks(int expected) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(expected);
      assertThat(StoreProbe.inProgressBlobCount(s3.store)).isZero();
    });
  }

  @Test
  void aPutCutOffMidBodyStoresNothingAndFreesItsChunks() throws Exception {
    putAndHangUp("/" + BUCKET + "/cut", 8 * MIB, 3 * MIB + 100);
    awaitChunks(0);
    assertS3Error(() -> alice.headObject(b -> b.bucket(BUCKET).key("cut")), 404, null);
  }

  @Test
  void aPutCutOffMidBodyLeavesThePreviousVersion() throws Exception {
    byte[] previous = randomBytes(2 * MIB, 1);
    alice.putObject(b -> b.bucket(BUCKET).key("kept"), RequestBody.fromBytes(previous));
    putAndHangUp("/" + BUCKET + "/kept", 6 * MIB, 4 * MIB);
    awaitChunks(2);
    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept")).asByteArray()).isEqualTo(previous);
  }

  @Test
  void anUploadPartCutOffMidBodyLeavesTheEarlierPart() throws Exception {
    String uploadId = alice.createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    byte[] first = randomBytes(MIB + 1, 2);
    String etag = alice.uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(first)).eTag();
    putAndHangUp("/" + BUCKET + "/mp?partNumber=1&uploadId=" + uploadId, 5 * MIB, 2 * MIB + 5);
    awaitChunks(2);
    assertThat(alice.listParts(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId)).parts())
        .singleElement().satisfies(p -> assertThat(p.eTag()).isEqualTo(etag));
  }

  @Test
  void aDecodedLengthThatDoesNotMatchTheBodyIsIncompleteBody() throws Exception {
    SignedHttp http = new SignedHttp(s3.endpoint(), ALICE);
    byte[] body = randomBytes(1000, 3);
    // x-amz-decoded-content-length promises more, or fewer, bytes than the body has.
    for (String declared : new String[] {"1001", "999"}) {
      HttpResponse<String> response = http.send("PUT", "/" + BUCKET + "/short", body, "x-amz-decoded-content-length", declared);
      assertThat(response.statusCode()).as(declared).isEqualTo(400);
      assertThat(response.body()).as(declared).contains("<Code>IncompleteBody</Code>");
    }
    assertS3Error(() -> alice.headObject(b -> b.bucket(BUCKET).key("short")), 404, null);
    awaitChunks(0);
  }

  @Test
  void everythingAcknowledgedSurvivesARestart() throws Exception {
    byte[] big = randomBytes(3 * MIB + 7, 4);
    alice.putObject(b -> b.bucket(BUCKET).key("big").contentType("application/x-big").metadata(Map.of("k", "v"))
        .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(big));
    alice.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
    alice.putObject(b -> b.bucket(BUCKET).key("dir/ü 😀"), RequestBody.fromString("unicode"));
    alice.deleteObject(b -> b.bucket(BUCKET).key("empty"));
    alice.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
    putAndHangUp("/" + BUCKET + "/torn", 4 * MIB, MIB + 1);
    var before = alice.listObjectsV2(b -> b.bucket(BUCKET)).contents();
    InMemoryBucketRegistry registry = s3.registry;
    s3.close();

    s3 = new S3TestServer(dir, registry);
    alice = s3.alice;
    assertThat(alice.listObjectsV2(b -> b.bucket(BUCKET)).contents()).containsExactlyElementsOf(before);
    var got = alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("big").checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asByteArray()).isEqualTo(big);
    assertThat(got.response().contentType()).isEqualTo("application/x-big");
    assertThat(got.response().metadata()).isEqualTo(Map.of("k", "v"));
    assertThat(got.response().checksumSHA256()).isEqualTo(S3Checksums.sha256(big));
    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asByteArray()).isEmpty();
    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("dir/ü 😀")).asUtf8String()).isEqualTo("unicode");
    // 4 chunks of "big" and 1 of "dir/ü 😀"; the empty object has none, the torn PUT left none.
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(5);
    assertS3Error(() -> alice.headObject(b -> b.bucket(BUCKET).key("torn")), 404, null);
  }
}
