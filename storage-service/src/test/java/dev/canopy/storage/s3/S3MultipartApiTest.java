package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/** Multipart uploads through the real AWS SDK for Java v2. */
class S3MultipartApiTest {

  private static final int MIB = 1024 * 1024;

  static final String BUCKET = "multipart";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static CompletedPart uploadPart(String key, String uploadId, int number, byte[] data) {
    String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
        RequestBody.fromBytes(data)).eTag();
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  @Test
  void threePartUploadCompletesIntoOneObject() throws Exception {
    byte[] p1 = randomBytes(5 * MIB, 1);
    byte[] p2 = randomBytes(5 * MIB, 2);
    byte[] p3 = randomBytes(1234, 3);
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("video.mp4").contentType("video/mp4")).uploadId();
    CompletedPart c2 = uploadPart("video.mp4", uploadId, 2, p2);
    CompletedPart c1 = uploadPart("video.mp4", uploadId, 1, p1);
    CompletedPart c3 = uploadPart("video.mp4", uploadId, 3, p3);

    assertThat(s3.alice().listParts(b -> b.bucket(BUCKET).key("video.mp4").uploadId(uploadId)).parts())
        .extracting(Part::partNumber, Part::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, (long) p1.length),
            org.assertj.core.groups.Tuple.tuple(2, (long) p2.length),
            org.assertj.core.groups.Tuple.tuple(3, (long) p3.length));
    assertThat(s3.alice().listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
        .extracting(MultipartUpload::key, MultipartUpload::uploadId)
        .contains(org.assertj.core.groups.Tuple.tuple("video.mp4", uploadId));

    var done = s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("video.mp4").uploadId(uploadId)
        .multipartUpload(m -> m.parts(c1, c2, c3)));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (byte[] part : List.of(p1, p2, p3)) {
      md5.update(MessageDigest.getInstance("MD5").digest(part));
    }
    assertThat(done.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5.digest()) + "-3\"");
    assertThat(done.bucket()).isEqualTo(BUCKET);
    assertThat(done.key()).isEqualTo("video.mp4");
    assertThat(done.location()).endsWith("/" + BUCKET + "/video.mp4");

    var object = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("video.mp4"));
    byte[] all = object.asByteArray();
    assertThat(all).hasSize(p1.length + p2.length + p3.length);
    assertThat(Arrays.copyOfRange(all, 0, p1.length)).isEqualTo(p1);
    assertThat(Arrays.copyOfRange(all, p1.length, p1.length + p2.length)).isEqualTo(p2);
    assertThat(Arrays.copyOfRange(all, p1.length + p2.length, all.length)).isEqualTo(p3);
    assertThat(object.response().contentType()).isEqualTo("video/mp4");
    assertThat(object.response().eTag()).isEqualTo(done.eTag());
    var boundary = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("video.mp4").range("bytes=" + (5 * MIB - 2) + "-" + (5 * MIB + 1)));
    assertThat(boundary.asByteArray()).isEqualTo(Arrays.copyOfRange(all, 5 * MIB - 2, 5 * MIB + 2));
    // The upload is gone once completed.
    assertS3Error(() -> s3.alice().listParts(b -> b.bucket(BUCKET).key("video.mp4").uploadId(uploadId)), 404, "NoSuchUpload");
  }

  @Test
  void completionErrors() {
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("bad")).uploadId();
    CompletedPart small1 = uploadPart("bad", uploadId, 1, randomBytes(100, 4));
    CompletedPart small2 = uploadPart("bad", uploadId, 2, randomBytes(100, 5));
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)
        .multipartUpload(m -> m.parts(small1, small2))), 400, "EntityTooSmall");
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)
        .multipartUpload(m -> m.parts(small2, small1))), 400, "InvalidPartOrder");
    CompletedPart wrongTag = small1.toBuilder().eTag("\"00000000000000000000000000000000\"").build();
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)
        .multipartUpload(m -> m.parts(wrongTag))), 400, "InvalidPart");
    CompletedPart missing = CompletedPart.builder().partNumber(7).eTag(small1.eTag()).build();
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)
        .multipartUpload(m -> m.parts(small1, missing))), 400, "InvalidPart");
    assertS3Error(() -> s3.alice().uploadPart(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId).partNumber(10001),
        RequestBody.fromString("x")), 400, "InvalidArgument");

    s3.alice().abortMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId));
    assertS3Error(() -> s3.alice().abortMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)), 404, "NoSuchUpload");
    assertS3Error(() -> s3.alice().uploadPart(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId).partNumber(3),
        RequestBody.fromString("late")), 404, "NoSuchUpload");
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId(uploadId)
        .multipartUpload(m -> m.parts(small1))), 404, "NoSuchUpload");
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("bad").uploadId("no-such-upload")
        .multipartUpload(m -> m.parts(small1))), 404, "NoSuchUpload");
  }

  @Test
  void singlePartUploadMayBeSmall() {
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("tiny")).uploadId();
    CompletedPart only = uploadPart("tiny", uploadId, 1, "tiny".getBytes());
    s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("tiny").uploadId(uploadId).multipartUpload(m -> m.parts(only)));
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("tiny")).asUtf8String()).isEqualTo("tiny");
  }
}
