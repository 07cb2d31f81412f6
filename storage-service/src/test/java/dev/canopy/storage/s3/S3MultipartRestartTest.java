package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.StoreProbe;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Multipart uploads that span a restart of the storage process, through the real endpoint: the
 * parts acknowledged before it are listed and completed after it, and an abort or a completion
 * that leaves parts out frees every chunk those parts held, across the restart too.
 */
class S3MultipartRestartTest {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "restarts";

  @TempDir Path dir;
  private S3TestServer s3;
  private S3Client alice;

  @BeforeEach
  void start() throws Exception {
    s3 = S3TestServer.withBucket(dir, BUCKET);
    alice = s3.alice;
  }

  @AfterEach
  void stop() throws Exception {
    s3.close();
  }

  private void restart() throws Exception {
    InMemoryBucketRegistry registry = s3.registry;
    s3.close();
    s3 = new S3TestServer(dir, registry);
    alice = s3.alice;
  }

  private String begin(String key) {
    return alice.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
  }

  private CompletedPart upload(String key, String uploadId, int partNumber, byte[] bytes) {
    String etag = alice.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
        RequestBody.fromBytes(bytes)).eTag();
    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void partsAcknowledgedBeforeARestartAreListedAndCompletedAfterIt() throws Exception {
    byte[] first = randomBytes(5 * MIB, 1);
    byte[] second = randomBytes(5 * MIB, 2);
    byte[] last = randomBytes(MIB / 2, 3);
    String id = begin("film.mp4");
    CompletedPart p1 = upload("film.mp4", id, 1, first);
    CompletedPart p2 = upload("film.mp4", id, 2, second);

    restart();

    List<Part> listed = alice.listParts(b -> b.bucket(BUCKET).key("film.mp4").uploadId(id)).parts();
    assertThat(listed).extracting(Part::partNumber).containsExactly(1, 2);
    assertThat(listed).extracting(Part::eTag).containsExactly(p1.eTag(), p2.eTag());
    assertThat(listed).extracting(Part::size).containsExactly((long) first.length, (long) second.length);
    CompletedPart p3 = upload("film.mp4", id, 3, last);
    alice.completeMultipartUpload(b -> b.bucket(BUCKET).key("film.mp4").uploadId(id).multipartUpload(m -> m.parts(p1, p2, p3)));

    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("film.mp4")).asByteArray()).isEqualTo(concat(first, second, last));
    assertThat(alice.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    // 5 + 5 + 1 chunks of 1 MiB, all now the object's; nothing in progress is left.
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(11);
    assertThat(StoreProbe.inProgressBlobCount(s3.store)).isZero();
  }

  @Test
  void anAbortAfterARestartFreesEveryChunkAndTheUploadTakesNoMoreParts() throws Exception {
    String id = begin("abandoned.bin");
    upload("abandoned.bin", id, 1, randomBytes(5 * MIB, 4));
    upload("abandoned.bin", id, 2, randomBytes(2 * MIB, 5));
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(7);

    restart();
    alice.abortMultipartUpload(b -> b.bucket(BUCKET).key("abandoned.bin").uploadId(id));

    assertThat(StoreProbe.chunkCount(s3.store)).isZero();
    assertThat(alice.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    assertS3Error(() -> alice.uploadPart(b -> b.bucket(BUCKET).key("abandoned.bin").uploadId(id).partNumber(3),
        RequestBody.fromString("late")), 404, "NoSuchUpload");
    assertThat(StoreProbe.chunkCount(s3.store)).as("the refused late part stored nothing").isZero();
    restart();
    assertThat(StoreProbe.chunkCount(s3.store)).isZero();
  }

  @Test
  void aPartUploadedAgainBeforeARestartKeepsOnlyItsNewestBytes() throws Exception {
    String id = begin("redo.bin");
    upload("redo.bin", id, 1, randomBytes(3 * MIB, 6));
    byte[] redone = randomBytes(2 * MIB, 7);
    CompletedPart p1 = upload("redo.bin", id, 1, redone);
    assertThat(StoreProbe.chunkCount(s3.store)).as("the replaced part's chunks went at once").isEqualTo(2);

    restart();
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(2);
    alice.completeMultipartUpload(b -> b.bucket(BUCKET).key("redo.bin").uploadId(id).multipartUpload(m -> m.parts(p1)));

    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("redo.bin")).asByteArray()).isEqualTo(redone);
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(2);
  }

  @Test
  void aCompletionThatLeavesPartsOutFreesThemAndTheObjectHasOnlyTheChosenOnes() throws Exception {
    byte[] first = randomBytes(5 * MIB, 8);
    byte[] third = randomBytes(MIB, 9);
    String id = begin("picked.bin");
    CompletedPart p1 = upload("picked.bin", id, 1, first);
    upload("picked.bin", id, 2, randomBytes(5 * MIB, 10));
    CompletedPart p3 = upload("picked.bin", id, 3, third);

    restart();
    alice.completeMultipartUpload(b -> b.bucket(BUCKET).key("picked.bin").uploadId(id).multipartUpload(m -> m.parts(p1, p3)));

    assertThat(alice.getObjectAsBytes(b -> b.bucket(BUCKET).key("picked.bin")).asByteArray()).isEqualTo(concat(first, third));
    assertThat(StoreProbe.chunkCount(s3.store)).as("part 2's five chunks are gone").isEqualTo(6);
    restart();
    assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(6);
  }

  @Test
  void aBucketWithAnUploadInProgressStaysAcrossARestartUntilTheUploadEnds() throws Exception {
    String id = begin("pending.bin");
    upload("pending.bin", id, 1, randomBytes(MIB, 11));

    restart();

    assertS3Error(() -> alice.deleteBucket(b -> b.bucket(BUCKET)), 409, "BucketNotEmpty");
    alice.abortMultipartUpload(b -> b.bucket(BUCKET).key("pending.bin").uploadId(id));
    alice.deleteBucket(b -> b.bucket(BUCKET));
    assertS3Error(() -> alice.headBucket(b -> b.bucket(BUCKET)), 404, null);
  }
}
