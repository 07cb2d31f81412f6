package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.StoreProbe;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional writes, as S3 has offered them since 2024 and the SDK sends them: PutObject and
 * CompleteMultipartUpload with {@code If-None-Match: *} create only where nothing exists, with
 * {@code If-Match} replace only the version they name; a failed condition is 412 and stores
 * nothing. A server that ignored the headers would silently overwrite what the client protected.
 */
class S3ConditionalWriteTest {

  static final String BUCKET = "cas";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static String body(String key) {
    return s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  @Test
  void ifNoneMatchStarCreatesOnlyWhenAbsent() {
    String etag = s3.alice().putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"), RequestBody.fromString("first")).eTag();
    int chunks = StoreProbe.chunkCount(s3.server().store);
    assertS3Error(() -> s3.alice().putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"), RequestBody.fromString("second")),
        412, "PreconditionFailed");
    assertThat(body("lock")).isEqualTo("first");
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("lock")).eTag()).isEqualTo(etag);
    // The refused body was freed, not left behind.
    assertThat(StoreProbe.chunkCount(s3.server().store)).isEqualTo(chunks);
    // Once the key is gone, the create-only write succeeds again.
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key("lock"));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"), RequestBody.fromString("third"));
    assertThat(body("lock")).isEqualTo("third");
  }

  @Test
  void ifMatchReplacesOnlyTheNamedVersion() {
    String v1 = s3.alice().putObject(b -> b.bucket(BUCKET).key("doc"), RequestBody.fromString("v1")).eTag();
    String v2 = s3.alice().putObject(b -> b.bucket(BUCKET).key("doc").ifMatch(v1), RequestBody.fromString("v2")).eTag();
    assertThat(body("doc")).isEqualTo("v2");
    // A writer still holding v1 lost the race: its update is refused, v2 stays.
    assertS3Error(() -> s3.alice().putObject(b -> b.bucket(BUCKET).key("doc").ifMatch(v1), RequestBody.fromString("stale")),
        412, "PreconditionFailed");
    assertThat(body("doc")).isEqualTo("v2");
    s3.alice().putObject(b -> b.bucket(BUCKET).key("doc").ifMatch("*"), RequestBody.fromString("v3"));
    assertThat(body("doc")).isEqualTo("v3");
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void ifMatchOnAMissingKeyIsNoSuchKey() {
    assertS3Error(() -> s3.alice().putObject(b -> b.bucket(BUCKET).key("never").ifMatch("\"0123456789abcdef0123456789abcdef\""),
        RequestBody.fromString("x")), 404, "NoSuchKey");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("never")), 404, null);
  }

  @Test
  void ifNoneMatchWithAnEtagIsNotImplemented() throws Exception {
    SignedHttp http = new SignedHttp(s3.server().endpoint(), ALICE);
    HttpResponse<String> response = s3.http().send("PUT", "/" + BUCKET + "/etag-none-match", "x".getBytes(),
        "If-None-Match", "\"0123456789abcdef0123456789abcdef\"");
    assertThat(response.statusCode()).isEqualTo(501);
    assertThat(response.body()).contains("<Code>NotImplemented</Code>");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("etag-none-match")), 404, null);
  }

  @Test
  void completeMultipartUploadHonoursTheSameConditions() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("mp"), RequestBody.fromString("existing"));
    String existing = s3.alice().headObject(b -> b.bucket(BUCKET).key("mp")).eTag();
    String id = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(id).partNumber(1),
        RequestBody.fromString("from parts")).eTag();
    CompletedPart part = CompletedPart.builder().partNumber(1).eTag(etag).build();
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(id).ifNoneMatch("*")
        .multipartUpload(m -> m.parts(part))), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(id)
        .ifMatch("\"ffffffffffffffffffffffffffffffff\"").multipartUpload(m -> m.parts(part))), 412, "PreconditionFailed");
    assertThat(body("mp")).isEqualTo("existing");
    // The refused completions left the upload as it was: it completes over the version it names.
    s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(id).ifMatch(existing)
        .multipartUpload(m -> m.parts(part)));
    assertThat(body("mp")).isEqualTo("from parts");
  }

  @Test
  void copyObjectHonoursTheDestinationsConditions() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("copy-source"), RequestBody.fromString("source"));
    String target = s3.alice().putObject(b -> b.bucket(BUCKET).key("copy-target"), RequestBody.fromString("target")).eTag();
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey("copy-target").ifNoneMatch("*")), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey("copy-target").ifMatch("\"ffffffffffffffffffffffffffffffff\"")),
        412, "PreconditionFailed");
    assertThat(body("copy-target")).isEqualTo("target");
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey("copy-target").ifMatch(target));
    assertThat(body("copy-target")).isEqualTo("source");
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey("copy-new").ifNoneMatch("*"));
    assertThat(body("copy-new")).isEqualTo("source");
  }

  @Test
  void ofManyConcurrentCreateOnlyWritesExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> attempts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String content = "writer " + i;
        Callable<String> write = () -> {
          try {
            s3.alice().putObject(b -> b.bucket(BUCKET).key("race").ifNoneMatch("*"), RequestBody.fromString(content));
            return content;
          } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(412);
            return null;
          }
        };
        attempts.add(pool.submit(write));
      }
      List<String> winners = new ArrayList<>();
      for (Future<String> attempt : attempts) {
        String won = attempt.get(60, TimeUnit.SECONDS);
        if (won != null) {
          winners.add(won);
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(body("race")).isEqualTo(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }
}
