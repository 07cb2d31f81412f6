package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Additional checksums: the value the server returns must be the one a user computes over the
 * bytes (not merely present), whether the client sends it as a header or as an aws-chunked
 * trailer; and a wrong one is 400 BadDigest with nothing stored and nothing replaced.
 */
class S3ChecksumTest {

  private static final int SIZE = 2 * 1024 * 1024 + 333;

  static final String BUCKET = "checksums";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);
  static final byte[] DATA = randomBytes(SIZE, 21);

  /** The algorithms the JDK can compute on its own, so the test needs no CRT. */
  enum Algorithm {
    CRC32(ChecksumAlgorithm.CRC32, S3Checksums::crc32, GetObjectResponse::checksumCRC32, HeadObjectResponse::checksumCRC32,
        PutObjectResponse::checksumCRC32),
    CRC32C(ChecksumAlgorithm.CRC32_C, S3Checksums::crc32c, GetObjectResponse::checksumCRC32C,
        HeadObjectResponse::checksumCRC32C, PutObjectResponse::checksumCRC32C),
    SHA1(ChecksumAlgorithm.SHA1, S3Checksums::sha1, GetObjectResponse::checksumSHA1, HeadObjectResponse::checksumSHA1,
        PutObjectResponse::checksumSHA1),
    SHA256(ChecksumAlgorithm.SHA256, S3Checksums::sha256, GetObjectResponse::checksumSHA256,
        HeadObjectResponse::checksumSHA256, PutObjectResponse::checksumSHA256);

    final ChecksumAlgorithm sdk;
    final Function<byte[], String> compute;
    final Function<GetObjectResponse, String> onGet;
    final Function<HeadObjectResponse, String> onHead;
    final Function<PutObjectResponse, String> onPut;

    Algorithm(ChecksumAlgorithm sdk, Function<byte[], String> compute, Function<GetObjectResponse, String> onGet,
        Function<HeadObjectResponse, String> onHead, Function<PutObjectResponse, String> onPut) {
      this.sdk = sdk;
      this.compute = compute;
      this.onGet = onGet;
      this.onHead = onHead;
      this.onPut = onPut;
    }

    String header() {
      return "x-amz-checksum-" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }



  private static void assertStoredChecksum(String key, Algorithm algorithm, String expected) {
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(algorithm.onHead.apply(head)).as("HEAD " + key).isEqualTo(expected);
    // The SDK validates the body against the returned checksum: a wrong one fails this GET.
    ResponseBytes<GetObjectResponse> got =
        s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(algorithm.onGet.apply(got.response())).as("GET " + key).isEqualTo(expected);
    assertThat(got.asByteArray()).isEqualTo(DATA);
    // Without checksum mode, S3 does not send them.
    assertThat(algorithm.onHead.apply(s3.alice().headObject(b -> b.bucket(BUCKET).key(key)))).isNull();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aTrailingChecksumIsVerifiedStoredAndReturned(Algorithm algorithm) {
    String expected = algorithm.compute.apply(DATA);
    String key = "trailer/" + algorithm;
    PutObjectResponse put = s3.alice().putObject(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm.sdk),
        RequestBody.fromBytes(DATA));
    assertThat(algorithm.onPut.apply(put)).isEqualTo(expected);
    assertStoredChecksum(key, algorithm, expected);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aChecksumHeaderComputedByTheUserIsVerifiedStoredAndReturned(Algorithm algorithm) throws Exception {
    String expected = algorithm.compute.apply(DATA);
    String key = "header/" + algorithm;
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/" + key, DATA, algorithm.header(), expected);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(put.headers().firstValue(algorithm.header())).contains(expected);
    assertStoredChecksum(key, algorithm, expected);
  }

  @Test
  void theAsyncClientsChecksumIsTheOneAUserComputes() throws Exception {
    try (S3AsyncClient async = s3.server().asyncClient(ALICE)) {
      PutObjectResponse put = async.putObject(b -> b.bucket(BUCKET).key("async").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
          AsyncRequestBody.fromBytes(DATA)).get();
      assertThat(put.checksumCRC32C()).isEqualTo(S3Checksums.crc32c(DATA));
    }
    assertStoredChecksum("async", Algorithm.CRC32C, S3Checksums.crc32c(DATA));
  }

  @Test
  void anEmptyObjectHasTheChecksumsOfNoBytes() {
    byte[] none = new byte[0];
    PutObjectResponse put = s3.alice().putObject(b -> b.bucket(BUCKET).key("empty").checksumAlgorithm(ChecksumAlgorithm.SHA256),
        RequestBody.empty());
    assertThat(put.checksumSHA256()).isEqualTo(S3Checksums.sha256(none)).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("empty").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumSHA256()).isEqualTo(S3Checksums.sha256(none));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aWrongChecksumHeaderIsBadDigestAndNothingIsStored(Algorithm algorithm) throws Exception {
    String key = "wrong/" + algorithm;
    // The checksum of other bytes: well-formed, the right length, not this body's.
    String wrong = algorithm.compute.apply("other bytes".getBytes());
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/" + key, DATA, algorithm.header(), wrong);
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(put.body()).contains("<Code>BadDigest</Code>");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents()).isEmpty();
  }

  @Test
  void aWrongChecksumFromTheSdkIsBadDigest() {
    String wrong = S3Checksums.crc32("not the body".getBytes());
    S3Client precomputed = s3.server().client(ALICE, b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED));
    try (precomputed) {
      assertS3Error(() -> precomputed.putObject(b -> b.bucket(BUCKET).key("sdk-wrong").checksumCRC32(wrong),
          RequestBody.fromBytes(DATA)), 400, "BadDigest");
    }
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("sdk-wrong")), 404, null);
  }

  @Test
  void aFailedOverwriteLeavesTheStoredVersionWhole() throws Exception {
    byte[] original = randomBytes(1500, 5);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("keep").checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(original));
    String etag = s3.alice().headObject(b -> b.bucket(BUCKET).key("keep")).eTag();
    HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/keep", DATA, "x-amz-checksum-crc32", S3Checksums.crc32(original));
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(put.body()).contains("<Code>BadDigest</Code>");
    ResponseBytes<GetObjectResponse> got =
        s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("keep").checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asByteArray()).isEqualTo(original);
    assertThat(got.response().eTag()).isEqualTo(etag);
    assertThat(got.response().checksumCRC32()).isEqualTo(S3Checksums.crc32(original));
  }

  @Test
  void aWrongPartChecksumIsBadDigestAndKeepsTheEarlierPart() throws Exception {
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    byte[] first = randomBytes(1000, 6);
    String firstEtag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(first)).eTag();
    HttpResponse<String> retry = s3.http().send("PUT", "/" + BUCKET + "/mp?partNumber=1&uploadId=" + uploadId, DATA,
        "x-amz-checksum-sha256", S3Checksums.sha256(first));
    assertThat(retry.statusCode()).isEqualTo(400);
    assertThat(retry.body()).contains("<Code>BadDigest</Code>");
    assertThat(s3.alice().listParts(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId)).parts())
        .singleElement().satisfies(part -> {
          assertThat(part.eTag()).isEqualTo(firstEtag);
          assertThat(part.size()).isEqualTo(first.length);
        });
    s3.alice().abortMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId));
  }

  @Test
  void aMalformedChecksumValueIsRefusedBeforeAnythingIsStored() throws Exception {
    for (List<String> header : List.of(
        List.of("x-amz-checksum-crc32", "not base64!"),
        List.of("x-amz-checksum-crc32", Base64.getEncoder().encodeToString(new byte[8])), // 8 bytes, CRC32 has 4
        List.of("x-amz-checksum-sha256", Base64.getEncoder().encodeToString(new byte[4])))) {
      HttpResponse<String> put = s3.http().send("PUT", "/" + BUCKET + "/malformed", DATA, header.get(0), header.get(1));
      assertThat(put.statusCode()).as(header.toString()).isEqualTo(400);
      assertThat(put.body()).doesNotContain("InternalError");
    }
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("malformed")), 404, null);
  }
}
