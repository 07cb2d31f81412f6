package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Range requests as RFC 9110 and S3 define them: one range served with 206 and Content-Range,
 * suffix ranges, an end past the object clipped, a start past the end 416 InvalidRange, and the
 * forms S3 ignores (several ranges, bad syntax) served whole with 200.
 */
class S3RangeTest {

  private static final int SIZE = 1000;

  static final String BUCKET = "ranges";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);
  static final byte[] DATA = randomBytes(SIZE, 11);

  @BeforeAll
  static void start() throws Exception {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("obj").checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(DATA));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
  }


  private static ResponseBytes<GetObjectResponse> range(String header) {
    return s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("obj").range(header));
  }

  private static void assertPartial(String header, int first, int last) {
    ResponseBytes<GetObjectResponse> got = range(header);
    assertThat(got.response().sdkHttpResponse().statusCode()).as(header).isEqualTo(206);
    assertThat(got.asByteArray()).as(header).isEqualTo(Arrays.copyOfRange(DATA, first, last + 1));
    assertThat(got.response().contentRange()).as(header).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
    assertThat(got.response().contentLength()).as(header).isEqualTo(last - first + 1);
  }

  private static void assertWhole(String header) {
    ResponseBytes<GetObjectResponse> got = range(header);
    assertThat(got.response().sdkHttpResponse().statusCode()).as(header).isEqualTo(200);
    assertThat(got.asByteArray()).as(header).isEqualTo(DATA);
    assertThat(got.response().contentRange()).as(header).isNull();
  }

  @Test
  void singleRanges() {
    assertPartial("bytes=0-0", 0, 0);
    assertPartial("bytes=999-999", 999, 999);
    assertPartial("bytes=10-19", 10, 19);
    assertPartial("bytes=990-", 990, 999);
    assertPartial("bytes=0-", 0, 999);
  }

  @Test
  void suffixRanges() {
    assertPartial("bytes=-1", 999, 999);
    assertPartial("bytes=-10", 990, 999);
    assertPartial("bytes=-1000", 0, 999);
    // A suffix longer than the object is the whole object, still as a 206.
    assertPartial("bytes=-5000", 0, 999);
  }

  @Test
  void anEndPastTheObjectIsClipped() {
    assertPartial("bytes=995-2000", 995, 999);
    assertPartial("bytes=0-999999999999", 0, 999);
  }

  @Test
  void aStartAtOrPastTheEndIsInvalidRange() throws Exception {
    for (String header : List.of("bytes=1000-", "bytes=1000-1000", "bytes=5000-6000", "bytes=-0")) {
      assertS3Error(() -> range(header), 416, "InvalidRange");
      HttpResponse<String> raw = s3.http().send("GET", "/" + BUCKET + "/obj", new byte[0], "Range", header);
      assertThat(raw.statusCode()).as(header).isEqualTo(416);
      assertThat(raw.headers().firstValue("Content-Range")).as(header).contains("bytes */" + SIZE);
      assertThat(raw.body()).contains("<Code>InvalidRange</Code>");
    }
  }

  @Test
  void anyRangeOfAnEmptyObjectIsInvalidRange() {
    for (String header : List.of("bytes=0-0", "bytes=0-", "bytes=-1")) {
      assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("empty").range(header)), 416, "InvalidRange");
    }
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asByteArray()).isEmpty();
  }

  @Test
  void formsS3IgnoresAreServedWhole() {
    assertWhole("bytes=0-1,5-6"); // several ranges: S3 answers with the whole object
    assertWhole("bytes=5-2"); // last before first: syntactically invalid
    assertWhole("bytes=abc-def");
    assertWhole("items=0-1");
    assertWhole("bytes=");
    assertWhole("bytes=-");
  }

  @Test
  void headWithARangeDescribesThePart() {
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("obj").range("bytes=100-199"));
    assertThat(head.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(head.contentLength()).isEqualTo(100);
    assertThat(head.contentRange()).isEqualTo("bytes 100-199/" + SIZE);
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("obj").range("bytes=1000-")), 416, null);
  }

  @Test
  void aRangeNeverCarriesTheWholeObjectsChecksum() {
    // A whole-object CRC32 would not match the part's bytes, and the SDK would reject the answer.
    ResponseBytes<GetObjectResponse> part = s3.alice().getObjectAsBytes(
        b -> b.bucket(BUCKET).key("obj").range("bytes=0-9").checksumMode(ChecksumMode.ENABLED));
    assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(DATA, 0, 10));
    assertThat(part.response().checksumCRC32()).isNull();
    ResponseBytes<GetObjectResponse> whole = s3.alice().getObjectAsBytes(
        b -> b.bucket(BUCKET).key("obj").checksumMode(ChecksumMode.ENABLED));
    assertThat(whole.response().checksumCRC32()).isEqualTo(S3Checksums.crc32(DATA));
  }
}
