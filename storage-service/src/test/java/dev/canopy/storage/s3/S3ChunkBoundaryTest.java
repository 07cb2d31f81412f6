package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Object sizes at the store's 1 MiB chunk boundary (and the upload's 1 MiB flush boundary),
 * written every way a client frames a body: signed plain body, aws-chunked with a trailing
 * checksum (the sync client's default), and the async client's stream.
 */
class S3ChunkBoundaryTest {

  private static final int MIB = 1024 * 1024;

  /** Sends a plain signed body: no aws-chunked framing, no trailer. */
  static S3Client plain;
  static S3AsyncClient async;
  static final String BUCKET = "chunks";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void start() throws Exception {
    plain = s3.server().client(ALICE, b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED));
    async = s3.server().asyncClient(ALICE);
  }

  @AfterAll
  static void stop() throws Exception {
    plain.close();
    async.close();
  }

  private static String etagOf(byte[] data) throws Exception {
    return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
  }

  private static void assertStored(String key, byte[] data) throws Exception {
    ResponseBytes<GetObjectResponse> got = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    assertThat(got.asByteArray()).as(key).isEqualTo(data);
    assertThat(got.response().contentLength()).isEqualTo(data.length);
    assertThat(got.response().eTag()).isEqualTo(etagOf(data));
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key(key));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.eTag()).isEqualTo(etagOf(data));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, MIB - 1, MIB, MIB + 1, 2 * MIB - 1, 2 * MIB, 2 * MIB + 1, 3 * MIB + 17})
  void everySizeAroundTheChunkBoundaryRoundTripsByEveryFraming(int size) throws Exception {
    byte[] data = randomBytes(size, size);
    String etag = etagOf(data);

    assertThat(s3.alice().putObject(b -> b.bucket(BUCKET).key("chunked/" + size), RequestBody.fromBytes(data)).eTag())
        .isEqualTo(etag);
    assertStored("chunked/" + size, data);

    assertThat(plain.putObject(b -> b.bucket(BUCKET).key("plain/" + size), RequestBody.fromBytes(data)).eTag())
        .isEqualTo(etag);
    assertStored("plain/" + size, data);

    assertThat(async.putObject(b -> b.bucket(BUCKET).key("async/" + size), AsyncRequestBody.fromBytes(data)).get().eTag())
        .isEqualTo(etag);
    byte[] back = async.getObject(b -> b.bucket(BUCKET).key("async/" + size), AsyncResponseTransformer.toBytes())
        .get().asByteArray();
    assertThat(back).isEqualTo(data);
  }

  @Test
  void rangesAtTheChunkSeamReturnTheRightBytes() {
    byte[] data = randomBytes(2 * MIB + 1, 99);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("seam"), RequestBody.fromBytes(data));
    long[][] ranges = {
        {MIB - 1, MIB - 1}, // last byte of chunk 0
        {MIB, MIB}, // first byte of chunk 1
        {MIB - 1, MIB}, // one byte on each side
        {0, MIB - 1}, // exactly chunk 0
        {MIB, 2 * MIB - 1}, // exactly chunk 1
        {2 * MIB, 2 * MIB}, // the lone byte of chunk 2
        {1, 2 * MIB - 1}, // all but the first and last byte
    };
    for (long[] r : ranges) {
      String header = "bytes=" + r[0] + "-" + r[1];
      ResponseBytes<GetObjectResponse> got = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("seam").range(header));
      assertThat(got.asByteArray()).as(header).isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1));
      assertThat(got.response().contentRange()).as(header).isEqualTo("bytes " + r[0] + "-" + r[1] + "/" + data.length);
      assertThat(got.response().contentLength()).as(header).isEqualTo(r[1] - r[0] + 1);
    }
  }

  @Test
  void overwritingWithADifferentChunkCountLeavesOnlyTheNewBytes() throws Exception {
    byte[] big = randomBytes(3 * MIB + 5, 7);
    byte[] small = randomBytes(MIB - 1, 8);
    byte[] exact = randomBytes(MIB, 9);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("shrink"), RequestBody.fromBytes(big));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("shrink"), RequestBody.fromBytes(small));
    assertStored("shrink", small);
    // A range into where the old, longer version had bytes is now past the end.
    S3TestServer.assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("shrink").range("bytes=" + (2 * MIB) + "-")),
        416, "InvalidRange");
    s3.alice().putObject(b -> b.bucket(BUCKET).key("shrink"), RequestBody.fromBytes(exact));
    assertStored("shrink", exact);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("shrink"), RequestBody.empty());
    assertStored("shrink", new byte[0]);
  }
}
