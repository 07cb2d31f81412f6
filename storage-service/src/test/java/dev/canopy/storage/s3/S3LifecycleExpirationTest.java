package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.ManualTime;
import dev.canopy.storage.lifecycle.LifecycleExecutor;
import dev.canopy.storage.local.RocksObjectBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * End to end: rules set through the SDK, objects and an upload made through it, the executor run
 * on the server's store with a clock 29 and then 31 days ahead, the outcome read through the SDK.
 */
class S3LifecycleExpirationTest {

  private static final String BUCKET = "expiring";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static LifecycleExecutor executorAt(Duration ahead) {
    ManualTime clock = new ManualTime(Instant.now().plus(ahead));
    return new LifecycleExecutor(new RocksObjectBackend(s3.server().store, clock, new SplittableRandom(1)), clock);
  }

  @Test
  void objectsExpireAfter30DaysAndStaleUploadsAreAbortedAfter7() {
    S3Client alice = s3.alice();
    alice.putObject(p -> p.bucket(BUCKET).key("logs/old.log"), RequestBody.fromString("log"));
    alice.putObject(p -> p.bucket(BUCKET).key("scratch/t.bin").tagging("class=temp"), RequestBody.fromString("t"));
    alice.putObject(p -> p.bucket(BUCKET).key("scratch/kept.bin"), RequestBody.fromString("k"));
    alice.putObject(p -> p.bucket(BUCKET).key("docs/keep.txt"), RequestBody.fromString("doc"));
    String upload = alice.createMultipartUpload(c -> c.bucket(BUCKET).key("big/video")).uploadId();
    alice.putBucketLifecycleConfiguration(p -> p.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
            .expiration(e -> e.days(30)).build(),
        LifecycleRule.builder().id("temp").status(ExpirationStatus.ENABLED)
            .filter(f -> f.tag(Tag.builder().key("class").value("temp").build())).expiration(e -> e.days(30)).build(),
        LifecycleRule.builder().id("uploads").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7)).build())));

    executorAt(Duration.ofDays(1)).runOnce();
    assertThat(alice.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).extracting(u -> u.uploadId()).containsExactly(upload);
    executorAt(Duration.ofDays(29)).runOnce();
    assertThat(alice.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).isEmpty();
    assertThat(alice.headObject(h -> h.bucket(BUCKET).key("logs/old.log")).contentLength()).isEqualTo(3);

    executorAt(Duration.ofDays(31)).runOnce();
    assertS3Error(() -> alice.headObject(h -> h.bucket(BUCKET).key("logs/old.log")), 404, null);
    assertS3Error(() -> alice.headObject(h -> h.bucket(BUCKET).key("scratch/t.bin")), 404, null);
    assertThat(alice.listObjectsV2(l -> l.bucket(BUCKET)).contents()).extracting(o -> o.key())
        .containsExactly("docs/keep.txt", "scratch/kept.bin");
  }
}
