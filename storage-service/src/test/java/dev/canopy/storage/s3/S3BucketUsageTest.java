package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.usage.BucketUsage;
import dev.canopy.storage.usage.BucketUsageMeter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What the S3 endpoint counts per bucket, through the real AWS SDK v2: exact tiers and bytes out, the owner pays. */
class S3BucketUsageTest {

  @TempDir Path dir;
  private final BucketUsageMeter meter = new BucketUsageMeter();
  private S3TestServer s3;

  @BeforeEach
  void start() throws Exception {
    s3 = new S3TestServer(dir, server -> server.withUsageMeter(meter));
    s3.alice.createBucket(b -> b.bucket("photos"));
  }

  @AfterEach
  void stop() throws Exception {
    s3.close();
  }

  private BucketUsage photos() {
    List<BucketUsage> usage = meter.snapshot(Instant.now()).stream().flatMap(h -> h.usage().stream())
        .filter(u -> u.bucket().equals("photos")).toList();
    long tier1 = usage.stream().mapToLong(BucketUsage::tier1).sum();
    long tier2 = usage.stream().mapToLong(BucketUsage::tier2).sum();
    long bytes = usage.stream().mapToLong(BucketUsage::bytesOut).sum();
    return new BucketUsage(ALICE.accountId(), "photos", tier1, tier2, bytes);
  }

  @Test
  void eachRequestIsCountedInItsTierAndReadsCountTheirBytes() {
    byte[] data = S3TestServer.randomBytes(100_000, 1);
    s3.alice.putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(data));
    s3.alice.putObject(b -> b.bucket("photos").key("b.jpg"), RequestBody.fromBytes(new byte[10]));
    s3.alice.listObjectsV2(b -> b.bucket("photos"));
    s3.alice.getObjectAsBytes(b -> b.bucket("photos").key("a.jpg"));
    s3.alice.getObjectAsBytes(b -> b.bucket("photos").key("a.jpg").range("bytes=0-99"));
    s3.alice.headObject(b -> b.bucket("photos").key("b.jpg"));
    s3.alice.deleteObject(b -> b.bucket("photos").key("b.jpg"));
    assertThatThrownBy(() -> s3.alice.getObject(b -> b.bucket("photos").key("gone.jpg"))).isInstanceOf(S3Exception.class);

    // The end handler runs once the response is out; the client may be a moment earlier.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(photos()).as("2 PUTs and a LIST; 3 GETs (one missing key) and a HEAD; the DELETE is free; a whole read and 100 bytes")
            .isEqualTo(new BucketUsage(ALICE.accountId(), "photos", 3, 4, 100_000 + 100)));
  }

  @Test
  void aDownloadTheClientAbandonsCountsOnceWithTheBytesSentBeforeItWent() throws Exception {
    int size = 64 * 1024 * 1024;
    s3.alice.putObject(b -> b.bucket("photos").key("big.bin"), RequestBody.fromBytes(new byte[size]));
    try (var body = s3.alice.getObject(b -> b.bucket("photos").key("big.bin"))) {
      assertThat(body.readNBytes(65_536)).hasSize(65_536);
      body.abort(); // the connection is closed mid-body, as a client that gives up
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(photos().tier2()).isEqualTo(1));
    BucketUsage counted = photos();
    assertThat(counted.tier1()).as("the PUT").isEqualTo(1);
    assertThat(counted.bytesOut()).as("what was sent before the client went, not the whole object")
        .isGreaterThanOrEqualTo(65_536).isLessThan(size);
    // Nothing counts it again later.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> photos().equals(counted));
  }

  @Test
  void refusedRequestsAndListBucketsCostTheOwnerNothing() throws Exception {
    s3.alice.putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(new byte[5]));
    try (S3Client bob = s3.client(BOB); S3Client forger = s3.client(ALICE.accessKeyId(), "not-the-secret")) {
      assertThatThrownBy(() -> bob.getObject(b -> b.bucket("photos").key("a.jpg"))).isInstanceOf(S3Exception.class);
      assertThatThrownBy(() -> forger.getObject(b -> b.bucket("photos").key("a.jpg"))).isInstanceOf(S3Exception.class);
    }
    s3.alice.listBuckets();
    s3.alice.headObject(b -> b.bucket("photos").key("a.jpg")); // the last request: once counted, all before it are
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(photos()).isEqualTo(new BucketUsage(ALICE.accountId(), "photos", 1, 1, 0)));
    assertThat(meter.snapshot(Instant.now()).stream().flatMap(h -> h.usage().stream()))
        .allSatisfy(u -> assertThat(u.account()).isEqualTo(ALICE.accountId()));
  }
}
