package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * User metadata ({@code x-amz-meta-*}): returned unchanged on GET and HEAD, names lower-cased,
 * kept by copy unless replaced, carried from CreateMultipartUpload to the object; and S3's 2 KB
 * limit (UTF-8 bytes of names after the prefix plus values): 2048 is accepted, 2049 is 400
 * MetadataTooLarge and stores nothing.
 */
class S3UserMetadataTest {

  private static final int USER_METADATA_BYTES_MAX = 2048;

  static final String BUCKET = "metadata";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  /** One entry whose name and value together take exactly {@code bytes} bytes. */
  private static Map<String, String> metadataOfSize(int bytes) {
    String name = "pad";
    return Map.of(name, "v".repeat(bytes - name.length()));
  }

  @Test
  void metadataRoundTripsThroughGetHeadAndList() {
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("Project", "canopy");
    sent.put("with-dash", "value with spaces and = & ? / symbols");
    sent.put("empty-ish", "-");
    sent.put("number", "42");
    s3.alice().putObject(b -> b.bucket(BUCKET).key("tagged").metadata(sent).contentType("text/csv")
        .contentLanguage("de").contentEncoding("gzip").expires(java.time.Instant.parse("2030-01-01T00:00:00Z")),
        RequestBody.fromString("a,b"));

    Map<String, String> expected = Map.of(
        "project", "canopy", "with-dash", "value with spaces and = & ? / symbols", "empty-ish", "-", "number", "42");
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("tagged"));
    assertThat(head.metadata()).isEqualTo(expected);
    assertThat(head.contentType()).isEqualTo("text/csv");
    assertThat(head.contentLanguage()).isEqualTo("de");
    assertThat(head.contentEncoding()).isEqualTo("gzip");
    assertThat(head.expiresString()).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    assertThat(s3.alice().getObject(b -> b.bucket(BUCKET).key("tagged")).response().metadata()).isEqualTo(expected);
  }

  @Test
  void anObjectWithoutMetadataHasNoneAndTheDefaultContentType() throws Exception {
    // Raw, because the SDK always sends a Content-Type.
    assertThat(s3.http().send("PUT", "/" + BUCKET + "/bare", "x".getBytes()).statusCode()).isEqualTo(200);
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("bare"));
    assertThat(head.metadata()).isEmpty();
    assertThat(head.contentType()).isEqualTo("binary/octet-stream");
  }

  @Test
  void anOverwriteReplacesAllMetadata() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("over").metadata(Map.of("a", "1", "b", "2")), RequestBody.fromString("1"));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("over").metadata(Map.of("c", "3")), RequestBody.fromString("2"));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("over")).metadata()).isEqualTo(Map.of("c", "3"));
  }

  @Test
  void copyKeepsMetadataUnlessReplaced() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("copy-src").metadata(Map.of("origin", "source")), RequestBody.fromString("c"));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-src").destinationBucket(BUCKET).destinationKey("copy-kept"));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("copy-kept")).metadata()).isEqualTo(Map.of("origin", "source"));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-src").destinationBucket(BUCKET).destinationKey("copy-new")
        .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("origin", "copy")));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("copy-new")).metadata()).isEqualTo(Map.of("origin", "copy"));
    // COPY ignores metadata sent with the request, as S3 does.
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-src").destinationBucket(BUCKET).destinationKey("copy-ignored")
        .metadata(Map.of("ignored", "yes")));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("copy-ignored")).metadata()).isEqualTo(Map.of("origin", "source"));
  }

  @Test
  void multipartMetadataIsSetAtCreateAndLandsOnTheObject() {
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp").metadata(Map.of("stage", "created"))
        .contentType("video/webm")).uploadId();
    String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId).partNumber(1),
        RequestBody.fromString("part")).eTag();
    s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("mp"));
    assertThat(head.metadata()).isEqualTo(Map.of("stage", "created"));
    assertThat(head.contentType()).isEqualTo("video/webm");
  }

  @Test
  void exactly2048BytesOfMetadataAreAccepted() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("at-limit").metadata(metadataOfSize(USER_METADATA_BYTES_MAX)),
        RequestBody.fromString("ok"));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("at-limit")).metadata().get("pad"))
        .hasSize(USER_METADATA_BYTES_MAX - "pad".length());
    // Several entries add up: 4 × 512 bytes is 2048.
    Map<String, String> four = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      four.put("k" + i, "v".repeat(512 - 2));
    }
    s3.alice().putObject(b -> b.bucket(BUCKET).key("at-limit-4").metadata(four), RequestBody.fromString("ok"));
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("at-limit-4")).metadata()).isEqualTo(four);
  }

  @Test
  void oneByteMoreIsMetadataTooLargeAndStoresNothing() {
    Map<String, String> tooLarge = metadataOfSize(USER_METADATA_BYTES_MAX + 1);
    assertS3Error(() -> s3.alice().putObject(b -> b.bucket(BUCKET).key("over-limit").metadata(tooLarge), RequestBody.fromString("no")),
        400, "MetadataTooLarge");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("over-limit")), 404, null);
    assertS3Error(() -> s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("over-limit").metadata(tooLarge)),
        400, "MetadataTooLarge");
    assertThat(s3.alice().listMultipartUploads(b -> b.bucket(BUCKET).prefix("over-limit")).uploads()).isEmpty();
    s3.alice().putObject(b -> b.bucket(BUCKET).key("copy-base"), RequestBody.fromString("base"));
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-base").destinationBucket(BUCKET)
        .destinationKey("over-limit").metadataDirective(MetadataDirective.REPLACE).metadata(tooLarge)), 400, "MetadataTooLarge");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("over-limit")), 404, null);
  }
}
