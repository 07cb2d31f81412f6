package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * What a reader sees when the object changes under it. The store promises (RocksObjectReader) that
 * a GET reads through the snapshot it opened: a download that started before an overwrite or a
 * delete delivers the whole old version, never a mix and never a short body, even though the
 * commit frees the old chunks at once.
 */
class S3ReadDuringOverwriteTest {

  private static final int MIB = 1024 * 1024;
  /** Well beyond what socket buffers hold, so most of the old body is read after the change. */
  private static final int OLD_SIZE = 24 * MIB + 3;

  static final String BUCKET = "snapshots";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  /** Opens a GET, reads its first byte (the server has started streaming), returns the stream. */
  private static ResponseInputStream<GetObjectResponse> startReading(String key, byte[] expectedFirst) throws Exception {
    ResponseInputStream<GetObjectResponse> in = s3.alice().getObject(b -> b.bucket(BUCKET).key(key));
    assertThat(in.read()).isEqualTo(expectedFirst[0] & 0xFF);
    return in;
  }

  private static byte[] rest(InputStream in, byte first) throws Exception {
    byte[] tail = in.readAllBytes();
    byte[] all = new byte[tail.length + 1];
    all[0] = first;
    System.arraycopy(tail, 0, all, 1, tail.length);
    return all;
  }

  @Test
  void aDownloadStartedBeforeAnOverwriteDeliversTheWholeOldVersion() throws Exception {
    byte[] old = randomBytes(OLD_SIZE, 1);
    byte[] replacement = randomBytes(MIB / 3, 2);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("overwritten"), RequestBody.fromBytes(old));
    try (ResponseInputStream<GetObjectResponse> reading = startReading("overwritten", old)) {
      s3.alice().putObject(b -> b.bucket(BUCKET).key("overwritten"), RequestBody.fromBytes(replacement));
      // A reader that starts now already sees the new version.
      assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("overwritten")).asByteArray()).isEqualTo(replacement);
      byte[] body = rest(reading, old[0]);
      assertThat(body).hasSize(old.length);
      assertThat(md5(body)).isEqualTo(md5(old));
      assertThat(reading.response().eTag()).isEqualTo("\"" + md5(old) + "\"");
    }
  }

  @Test
  void aDownloadStartedBeforeADeleteDeliversTheWholeObject() throws Exception {
    byte[] old = randomBytes(OLD_SIZE, 3);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("deleted"), RequestBody.fromBytes(old));
    try (ResponseInputStream<GetObjectResponse> reading = startReading("deleted", old)) {
      s3.alice().deleteObject(b -> b.bucket(BUCKET).key("deleted"));
      assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("deleted")), 404, null);
      assertThat(md5(rest(reading, old[0]))).isEqualTo(md5(old));
    }
  }

  @Test
  void aDownloadStartedBeforeAMultipartCompletionDeliversTheOldVersion() throws Exception {
    byte[] old = randomBytes(OLD_SIZE, 4);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("replaced-by-parts"), RequestBody.fromBytes(old));
    String uploadId = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("replaced-by-parts")).uploadId();
    byte[] part1 = randomBytes(5 * MIB, 5);
    byte[] part2 = randomBytes(100, 6);
    String etag1 = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("replaced-by-parts").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(part1)).eTag();
    String etag2 = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("replaced-by-parts").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(part2)).eTag();
    try (ResponseInputStream<GetObjectResponse> reading = startReading("replaced-by-parts", old)) {
      s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("replaced-by-parts").uploadId(uploadId).multipartUpload(m -> m.parts(
          CompletedPart.builder().partNumber(1).eTag(etag1).build(), CompletedPart.builder().partNumber(2).eTag(etag2).build())));
      assertThat(md5(rest(reading, old[0]))).isEqualTo(md5(old));
    }
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("replaced-by-parts")).contentLength())
        .isEqualTo(part1.length + part2.length);
  }

  @Test
  void everyConcurrentReadIsExactlyOneWholeVersion() throws Exception {
    // Versions of different sizes, so a mix of two would also show in the length.
    List<byte[]> versions = List.of(randomBytes(3 * MIB + 1, 10), randomBytes(MIB - 1, 11), randomBytes(2 * MIB, 12));
    Map<String, Integer> sizeByEtag = new java.util.HashMap<>();
    for (byte[] v : versions) {
      sizeByEtag.put("\"" + md5(v) + "\"", v.length);
    }
    s3.alice().putObject(b -> b.bucket(BUCKET).key("contended"), RequestBody.fromBytes(versions.get(0)));
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<Integer> writer = pool.submit(() -> {
        int writes = 0;
        for (; writes < 30; writes++) {
          byte[] next = versions.get(writes % versions.size());
          s3.alice().putObject(b -> b.bucket(BUCKET).key("contended"), RequestBody.fromBytes(next));
        }
        writing.set(false);
        return writes;
      });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          // Bounded: at most 200 reads each, and they stop once the writer is done.
          while (reads < 200 && (writing.get() || reads == 0)) {
            var got = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("contended"));
            String etag = got.response().eTag();
            assertThat(sizeByEtag).containsKey(etag);
            assertThat(got.asByteArray()).hasSize(sizeByEtag.get(etag));
            assertThat("\"" + md5(got.asByteArray()) + "\"").isEqualTo(etag);
            reads++;
          }
          return reads;
        }));
      }
      assertThat(writer.get(120, TimeUnit.SECONDS)).isEqualTo(30);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(120, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
