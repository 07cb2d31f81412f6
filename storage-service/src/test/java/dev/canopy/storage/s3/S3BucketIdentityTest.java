package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.local.RocksObjectBackend;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket's objects live under its immutable id, not its name: a name deleted and taken again
 * (here by another account) starts empty whatever was still in flight for the old bucket.
 */
class S3BucketIdentityTest {

  @TempDir Path dir;

  @Test
  void aPutStillStreamingWhenItsBucketIsDeletedNeverShowsInTheNextOwnersBucket() throws Exception {
    try (S3TestServer s3 = S3TestServer.withBucket(dir, "handover"); S3Client bob = s3.client(BOB)) {
      byte[] secret = "alice's secret, uploaded slowly".repeat(1000).getBytes(StandardCharsets.UTF_8);
      HeldBody held = new HeldBody(secret);
      SignedHttp alice = new SignedHttp(s3.endpoint(), ALICE);
      var put = alice.sendStreaming("PUT", "/handover/secret.txt", secret, held::stream);
      held.awaitStarted();

      s3.alice.deleteBucket(b -> b.bucket("handover")); // empty: the PUT has not committed
      bob.createBucket(b -> b.bucket("handover"));
      held.release();
      HttpResponse<String> answer = put.get(30, TimeUnit.SECONDS);

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
      assertThat(answer.body()).contains("<Code>NoSuchBucket</Code>");
      assertThat(bob.listObjectsV2(b -> b.bucket("handover")).contents()).extracting(S3Object::key).isEmpty();
      assertS3Error(() -> bob.getObjectAsBytes(b -> b.bucket("handover").key("secret.txt")), 404, "NoSuchKey");
      // And Bob's bucket, empty, can be deleted: nothing of Alice's counts as his.
      bob.deleteBucket(b -> b.bucket("handover"));
    }
  }

  @Test
  void eachCreationOfANameGetsItsOwnIdAndTheRegistryKeepsIt() throws Exception {
    try (S3TestServer s3 = S3TestServer.withBucket(dir, "again")) {
      String first = s3.registry.find("again").orElseThrow().id();
      s3.alice.deleteBucket(b -> b.bucket("again"));
      s3.alice.createBucket(b -> b.bucket("again"));
      String second = s3.registry.find("again").orElseThrow().id();
      assertThat(first).startsWith(BucketIds.PREFIX).isNotEqualTo(second).isNotEqualTo("again");
      assertThat(BucketIds.isValid(second, "again")).isTrue();
    }
  }

  @Test
  void aBucketRecordedBeforeIdsExistedKeepsServingTheObjectsStoredUnderItsName() throws Exception {
    try (S3TestServer s3 = new S3TestServer(dir)) {
      s3.registry.create(new BucketRecord("legacy", ALICE.accountId(), Instant.EPOCH, S3TestServer.REGION));
      RocksObjectBackend backend = new RocksObjectBackend(s3.store, Clock.systemUTC(), new Random(1));
      byte[] body = "stored by an older canopy".getBytes(StandardCharsets.UTF_8);
      BlobWriter blob = backend.newBlob();
      blob.write(ByteBuffer.wrap(body));
      backend.commitObject("legacy", "old.txt", blob, MessageDigest.getInstance("MD5").digest(body),
          new ObjectMetadata("text/plain", null, null, null, null, null, Map.of()), Map.of());

      assertThat(s3.alice.getObjectAsBytes(b -> b.bucket("legacy").key("old.txt")).asByteArray()).isEqualTo(body);
      assertThat(s3.alice.listObjectsV2(b -> b.bucket("legacy")).contents()).extracting(S3Object::key)
          .containsExactly("old.txt");
    }
  }

  @Test
  void theCloudsImageBucketIsTakenForEveryTenantEvenBeforeTheCloudSeededIt() throws Exception {
    try (S3TestServer s3 = new S3TestServer(dir); S3Client bob = s3.client(BOB)) {
      assertThat(s3.registry.find(BucketNames.SYSTEM_IMAGES)).isEmpty();
      for (S3Client tenant : java.util.List.of(s3.alice, bob)) {
        assertS3Error(() -> tenant.createBucket(b -> b.bucket(BucketNames.SYSTEM_IMAGES)), 409, "BucketAlreadyExists");
      }
      assertThat(s3.registry.find(BucketNames.SYSTEM_IMAGES)).isEmpty();
    }
  }
}
