package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.Time;
import dev.canopy.storage.local.StoreProbe;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Each account's S3 limits, which another account never feels: buckets owned, uploads in flight, request rate. */
class S3AccountLimitsTest {

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong();
  /** Only the request rate reads it: moves when the test says. */
  private final Time time = new Time() {
    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
      throw new UnsupportedOperationException("nothing sleeps here");
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(nanos.get());
    }
  };

  private S3TestServer server(S3AccountLimits limits) throws Exception {
    return new S3TestServer(dir, s3 -> s3.withAccountLimits(limits, time));
  }

  @Test
  void anAccountAtItsBucketLimitGetsTooManyBucketsAndOthersStillCreate() throws Exception {
    try (S3TestServer s3 = server(new S3AccountLimits(2, 8, 1000, 1000)); S3Client bob = s3.client(BOB)) {
      s3.alice.createBucket(b -> b.bucket("alice-one"));
      s3.alice.createBucket(b -> b.bucket("alice-two"));
      assertS3Error(() -> s3.alice.createBucket(b -> b.bucket("alice-three")), 400, "TooManyBuckets");
      // Asking again for one it owns is still the usual answer, not the limit.
      assertS3Error(() -> s3.alice.createBucket(b -> b.bucket("alice-two")), 409, "BucketAlreadyOwnedByYou");
      bob.createBucket(b -> b.bucket("bob-one"));
      s3.alice.deleteBucket(b -> b.bucket("alice-one"));
      s3.alice.createBucket(b -> b.bucket("alice-three"));
    }
  }

  @Test
  void anUploadBeyondTheAccountsInFlightLimitIsSlowDownAndStoresNothing() throws Exception {
    try (S3TestServer s3 = server(new S3AccountLimits(10, 1, 1000, 1000)); S3Client bob = s3.client(BOB)) {
      s3.alice.createBucket(b -> b.bucket("alice-data"));
      bob.createBucket(b -> b.bucket("bob-data"));
      byte[] body = "x".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
      HeldBody held = new HeldBody(body);
      var first = new SignedHttp(s3.endpoint(), ALICE).sendStreaming("PUT", "/alice-data/big.bin", body, held::stream);
      held.awaitStarted();
      // The held first half (1.5 MiB) fills one 1 MiB chunk of the one blob in progress.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> StoreProbe.chunkCount(s3.store) == 1);
      assertThat(StoreProbe.inProgressBlobCount(s3.store)).isEqualTo(1);

      HttpResponse<String> refused = new SignedHttp(s3.endpoint(), ALICE).send("PUT", "/alice-data/second.bin", body);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("<Code>SlowDown</Code>");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      // Refused before a blob was started: the store holds nothing more than before it.
      assertThat(StoreProbe.inProgressBlobCount(s3.store)).isEqualTo(1);
      assertThat(StoreProbe.chunkCount(s3.store)).isEqualTo(1);
      // Another account uploads meanwhile.
      bob.putObject(b -> b.bucket("bob-data").key("mine.txt"), RequestBody.fromString("bob's"));

      held.release();
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      s3.alice.putObject(b -> b.bucket("alice-data").key("second.bin"), RequestBody.fromBytes(body));
      assertThat(StoreProbe.inProgressBlobCount(s3.store)).isZero();
    }
  }

  @Test
  void requestsBeyondTheAccountsRateAreSlowDownUntilTokensComeBack() throws Exception {
    try (S3TestServer s3 = server(new S3AccountLimits(10, 8, 1, 3)); S3Client bob = s3.client(BOB)) {
      SignedHttp alice = new SignedHttp(s3.endpoint(), ALICE);
      for (int i = 0; i < 3; i++) {
        assertThat(alice.send("GET", "/", new byte[0]).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> refused = alice.send("GET", "/", new byte[0]);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("<Code>SlowDown</Code>");
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      bob.listBuckets(); // Bob's bucket of tokens is his own

      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(alice.send("GET", "/", new byte[0]).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anonymousRequestsSpendTheBucketOwnersRate() throws Exception {
    try (S3TestServer s3 = server(new S3AccountLimits(10, 8, 1, 3)); S3Client bob = s3.client(BOB)) {
      s3.alice.createBucket(b -> b.bucket("public").acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PUBLIC_READ));
      AnonymousHttp anonymous = new AnonymousHttp(s3.endpoint());
      assertThat(anonymous.send("GET", "/public").statusCode()).isEqualTo(200);
      assertThat(anonymous.send("GET", "/public").statusCode()).isEqualTo(200);
      HttpResponse<String> refused = anonymous.send("GET", "/public");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("<Code>SlowDown</Code>");
      // The owner's own requests wait with its public's; other accounts do not.
      assertThat(new SignedHttp(s3.endpoint(), ALICE).send("GET", "/", new byte[0]).statusCode()).isEqualTo(503);
      bob.listBuckets();
    }
  }
}
