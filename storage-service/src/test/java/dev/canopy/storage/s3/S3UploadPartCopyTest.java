package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/** UploadPartCopy through the real AWS SDK for Java v2: ranges, conditions, and the errors S3 gives. */
class S3UploadPartCopyTest {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "part-copy";
  private static final byte[] SOURCE = randomBytes(11 * MIB + 17, 7);

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void source() {
    s3.alice().putObject(p -> p.bucket(BUCKET).key("source"), RequestBody.fromBytes(SOURCE));
  }

  private static String upload(String key) {
    return s3.alice().createMultipartUpload(c -> c.bucket(BUCKET).key(key)).uploadId();
  }

  private static UploadPartCopyResponse copyPart(String key, String uploadId, int number, String range) {
    return s3.alice().uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET)
        .destinationKey(key).uploadId(uploadId).partNumber(number).copySourceRange(range));
  }

  @Test
  void rangesOfAnObjectBecomeThePartsOfANewOne() throws Exception {
    String uploadId = upload("assembled");
    int cut = 6 * MIB;
    UploadPartCopyResponse first = copyPart("assembled", uploadId, 1, "bytes=0-" + (cut - 1));
    UploadPartCopyResponse second = copyPart("assembled", uploadId, 2, "bytes=" + cut + "-" + (SOURCE.length - 1));

    String firstMd5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(SOURCE, 0, cut)));
    assertThat(first.copyPartResult().eTag()).isEqualTo("\"" + firstMd5 + "\"");
    assertThat(first.copyPartResult().lastModified()).isBefore(Instant.now().plusSeconds(5));
    s3.alice().completeMultipartUpload(c -> c.bucket(BUCKET).key("assembled").uploadId(uploadId).multipartUpload(m -> m.parts(
        CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag()).build(),
        CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag()).build())));

    assertThat(s3.alice().getObjectAsBytes(g -> g.bucket(BUCKET).key("assembled")).asByteArray()).isEqualTo(SOURCE);
  }

  @Test
  void withoutARangeTheWholeSourceIsThePart() {
    String uploadId = upload("whole");
    String etag = copyPart("whole", uploadId, 1, null).copyPartResult().eTag();
    s3.alice().completeMultipartUpload(c -> c.bucket(BUCKET).key("whole").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    assertThat(s3.alice().getObjectAsBytes(g -> g.bucket(BUCKET).key("whole")).asByteArray()).isEqualTo(SOURCE);
  }

  @Test
  void badRangesAreRefused() {
    String uploadId = upload("bad-ranges");
    assertS3Error(() -> copyPart("bad-ranges", uploadId, 1, "bytes=5-"), 400, "InvalidArgument");
    assertS3Error(() -> copyPart("bad-ranges", uploadId, 1, "bytes=9-3"), 400, "InvalidArgument");
    assertS3Error(() -> copyPart("bad-ranges", uploadId, 1, "items=0-3"), 400, "InvalidArgument");
    assertS3Error(() -> copyPart("bad-ranges", uploadId, 1, "bytes=0-" + SOURCE.length), 416, "InvalidRange");
    assertThat(s3.alice().listParts(l -> l.bucket(BUCKET).key("bad-ranges").uploadId(uploadId)).parts()).isEmpty();
  }

  @Test
  void copySourceConditionsAreChecked() {
    String uploadId = upload("conditional");
    String etag = s3.alice().headObject(h -> h.bucket(BUCKET).key("source")).eTag();
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET)
        .destinationKey("conditional").uploadId(uploadId).partNumber(1).copySourceIfMatch("\"0000\"")), 412, "PreconditionFailed");
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET)
        .destinationKey("conditional").uploadId(uploadId).partNumber(1).copySourceIfNoneMatch(etag)), 412, "PreconditionFailed");
    assertThat(alice.uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET)
        .destinationKey("conditional").uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-9").copySourceIfMatch(etag))
        .copyPartResult().eTag()).isNotBlank();
  }

  @Test
  void aSourceThatIsMissingOrNotTheSignersIsRefused() {
    String uploadId = upload("sources");
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("missing").destinationBucket(BUCKET)
        .destinationKey("sources").uploadId(uploadId).partNumber(1)), 404, "NoSuchKey");
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket("no-such-bucket").sourceKey("source").destinationBucket(BUCKET)
        .destinationKey("sources").uploadId(uploadId).partNumber(1)), 404, "NoSuchBucket");
    try (S3Client bob = s3.server().client(S3TestServer.BOB)) {
      bob.createBucket(b -> b.bucket("bobs-part-source"));
      bob.putObject(p -> p.bucket("bobs-part-source").key("secret"), RequestBody.fromString("bob's"));
    }
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket("bobs-part-source").sourceKey("secret").destinationBucket(BUCKET)
        .destinationKey("sources").uploadId(uploadId).partNumber(1)), 403, "AccessDenied");
    assertS3Error(() -> alice.uploadPartCopy(c -> c.sourceBucket(BUCKET).sourceKey("source").destinationBucket(BUCKET)
        .destinationKey("sources").uploadId("no-such-upload").partNumber(1)), 404, "NoSuchUpload");
    assertThat(alice.listParts(l -> l.bucket(BUCKET).key("sources").uploadId(uploadId)).parts()).isEmpty();
  }
}
