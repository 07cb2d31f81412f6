package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * GetObject and HeadObject with {@code partNumber}, through the real AWS SDK for Java v2: one part
 * of a multipart object, as the SDK's multipart download reads it; a single-part object as its one
 * part; and the refusals S3 answers.
 */
class S3PartNumberReadTest {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "parts";
  private static final byte[] P1 = randomBytes(5 * MIB, 11);
  private static final byte[] P2 = randomBytes(5 * MIB + 3, 12);
  private static final byte[] P3 = randomBytes(1000, 13);
  private static final byte[] SINGLE = randomBytes(777, 14);
  private static String multipartEtag;

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void upload() {
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    CompletedPart c1 = part(uploadId, 1, P1);
    CompletedPart c2 = part(uploadId, 2, P2);
    CompletedPart c3 = part(uploadId, 3, P3);
    multipartEtag = s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId)
        .multipartUpload(m -> m.parts(c1, c2, c3))).eTag();
    s3.alice().putObject(b -> b.bucket(BUCKET).key("single"), RequestBody.fromBytes(SINGLE));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
  }

  private static CompletedPart part(String uploadId, int number, byte[] data) {
    String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId).partNumber(number),
        RequestBody.fromBytes(data)).eTag();
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  @Test
  void eachPartOfAMultipartObjectIsA206WithItsRangeAndThePartCount() {
    long total = P1.length + P2.length + P3.length;
    ResponseBytes<GetObjectResponse> second = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(2));
    assertThat(second.asByteArray()).isEqualTo(P2);
    GetObjectResponse response = second.response();
    assertThat(response.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(response.contentLength()).isEqualTo(P2.length);
    assertThat(response.contentRange()).isEqualTo("bytes " + P1.length + "-" + (P1.length + P2.length - 1) + "/" + total);
    assertThat(response.partsCount()).isEqualTo(3);
    assertThat(response.eTag()).isEqualTo(multipartEtag);

    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(1)).asByteArray()).isEqualTo(P1);
    ResponseBytes<GetObjectResponse> last = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(3));
    assertThat(last.asByteArray()).isEqualTo(P3);
    assertThat(last.response().contentRange()).isEqualTo("bytes " + (total - P3.length) + "-" + (total - 1) + "/" + total);

    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("mp").partNumber(3));
    assertThat(head.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(head.contentLength()).isEqualTo(P3.length);
    assertThat(head.partsCount()).isEqualTo(3);
    assertThat(head.eTag()).isEqualTo(multipartEtag);
    // Without partNumber, S3 does not announce the parts.
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("mp")).partsCount()).isNull();
  }

  @Test
  void partOneOfASinglePartObjectIsTheWholeObjectAsA206() {
    ResponseBytes<GetObjectResponse> whole = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("single").partNumber(1));
    assertThat(whole.asByteArray()).isEqualTo(SINGLE);
    assertThat(whole.response().sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(whole.response().contentRange()).isEqualTo("bytes 0-" + (SINGLE.length - 1) + "/" + SINGLE.length);
    assertThat(whole.response().partsCount()).isNull();
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("single").partNumber(1));
    assertThat(head.contentLength()).isEqualTo(SINGLE.length);
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("empty").partNumber(1)).asByteArray()).isEmpty();
  }

  @Test
  void aPartTheObjectDoesNotHaveIs416InvalidPartNumber() {
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(4)), 416, "InvalidPartNumber");
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("single").partNumber(2)), 416, "InvalidPartNumber");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("mp").partNumber(10_000)), 416, null);
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("nope").partNumber(1)), 404, "NoSuchKey");
  }

  @Test
  void aPartNumberWithARangeOrOutsideOneToTenThousandIsRefused() throws Exception {
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(1).range("bytes=0-9")),
        400, "InvalidRequest");
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(0)), 400, "InvalidArgument");
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(10_001)), 400, "InvalidArgument");
    assertS3Error(() -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(-1)), 400, "InvalidArgument");
    for (String bad : new String[] {"abc", "1.5", "", "99999999999"}) {
      HttpResponse<String> answer = s3.http().send("GET", "/" + BUCKET + "/mp?partNumber=" + bad, new byte[0]);
      assertThat(answer.statusCode()).as(bad).isEqualTo(400);
      assertThat(answer.body()).as(bad).contains("<Code>InvalidArgument</Code>");
    }
  }

  @Test
  void partsReadBackToBackMakeTheWholeObject() {
    int count = s3.alice().headObject(b -> b.bucket(BUCKET).key("mp").partNumber(1)).partsCount();
    byte[] joined = new byte[0];
    for (int n = 1; n <= count; n++) {
      int number = n;
      byte[] part = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp").partNumber(number)).asByteArray();
      int at = joined.length;
      joined = Arrays.copyOf(joined, at + part.length);
      System.arraycopy(part, 0, joined, at, part.length);
    }
    assertThat(joined).isEqualTo(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp")).asByteArray());
  }
}
