package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bucket metering end to end in the cloud in a box: requests sent with Debian's AWS CLI to one
 * tenant's bucket, and a second tenant's bucket written with the SDK, land as S3 rows of the right
 * owner's bill ({@code canopy billing report}) and usage summary, with exact counts: the storage
 * node pushes every second and the holder measures storage every minute (config below).
 */
class BucketMeteringIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BUCKET = "metered-photos";
  private static final String OTHER_BUCKET = "metered-elsewhere";
  /** Sizes of the objects uploaded: one inline in its manifest, one of several chunks. */
  private static final int[] SIZES = {1_000, 3 * 1024 * 1024 + 17, 65_536};

  @TempDir static Path dir;
  static CanopyProcess canopy;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("canopy.yaml");
    Files.writeString(config, "s3:\n  usageFlushSeconds: 1\nmetering:\n  bucketStorageIntervalMinutes: 1\n");
    canopy = CanopyProcess.start(dir.resolve("data"), Map.of(), List.of("--config", config.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  @Test
  void theBucketOwnersBillShowsItsRequestsBytesOutAndStorage() throws Exception {
    // What the CLI sends, request by request: CreateBucket (names no existing bucket: not metered),
    // one PutObject per cp of a small file, one ListObjectsV2 per ls, one GetObject per get-object,
    // one HeadObject per head-object.
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://" + BUCKET).assertOk();
    long stored = 0;
    for (int i = 0; i < SIZES.length; i++) {
      Path file = dir.resolve("object-" + i);
      Files.write(file, new byte[SIZES[i]]);
      AwsCli.run(canopy, "s3", "s3", "cp", file.toString(), "s3://" + BUCKET + "/object-" + i).assertOk();
      stored += SIZES[i];
    }
    AwsCli.run(canopy, "s3", "s3", "ls", "s3://" + BUCKET).assertOk();
    AwsCli.s3api(canopy, "get-object", "--bucket", BUCKET, "--key", "object-1", dir.resolve("read-1").toString()).assertOk();
    AwsCli.s3api(canopy, "get-object", "--bucket", BUCKET, "--key", "object-0", dir.resolve("read-0").toString()).assertOk();
    AwsCli.s3api(canopy, "head-object", "--bucket", BUCKET, "--key", "object-2").assertOk();
    long tier1Sent = SIZES.length + 1;
    long tier2Sent = 3;
    long bytesRead = SIZES[1] + SIZES[0];

    // A second tenant's bucket, written with the SDK: never on the first tenant's bill.
    CanopyCli.Result other = CanopyCli.run(dir, "account", "create", "elsewhere", "--data", canopy.data().toString());
    assertThat(other.exit()).as(other.stderr()).isZero();
    Credential stranger = new Credential(field(other.stdout(), "aws_access_key_id"), field(other.stdout(), "aws_secret_access_key"), "");
    try (S3Client s3 = TenantClients.s3(canopy, TenantClients.provider(stranger.accessKeyId(), stranger.secretAccessKey()))) {
      s3.createBucket(r -> r.bucket(OTHER_BUCKET));
      s3.putObject(r -> r.bucket(OTHER_BUCKET).key("k"), RequestBody.fromBytes(new byte[777]));
      s3.getObject(r -> r.bucket(OTHER_BUCKET).key("k")).readAllBytes();
    }

    String month = YearMonth.now(ZoneOffset.UTC).toString();
    long expectedStorage = stored;
    // Pushed within a second, folded within 5 s; storage measured within a minute of the uploads.
    Map<String, Long> mine = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(3)).until(
        () -> bucketTotals(report("default", month), BUCKET),
        t -> t.getOrDefault("S3-Requests-Tier2", 0L) >= tier2Sent && t.getOrDefault("S3-DataTransfer-Out-Bytes", 0L) >= bytesRead
            && t.getOrDefault("latest:S3-TimedStorage-ByteHrs", 0L) == expectedStorage);
    assertThat(mine.get("S3-Requests-Tier1")).as("PUTs and the LIST, at least").isGreaterThanOrEqualTo(tier1Sent);
    assertThat(mine.get("S3-Requests-Tier2")).as("the two GETs and the HEAD").isEqualTo(tier2Sent);
    assertThat(mine.get("S3-DataTransfer-Out-Bytes")).as("the bytes of the two objects read").isEqualTo(bytesRead);
    assertThat(mine.get("latest:S3-TimedStorage-ByteHrs")).as("the stored bytes for one hour").isEqualTo(stored);

    JsonNode myReport = report("default", month);
    assertThat(myReport.toString()).doesNotContain(OTHER_BUCKET);
    for (JsonNode row : myReport.path("rows")) {
      if (row.path("ResourceId").asText().equals(BUCKET)) {
        assertThat(row.path("ResourceType").asText()).isEqualTo("Bucket");
        assertThat(row.path("ServiceName").asText()).isEqualTo("Canopy S3");
      }
    }
    Map<String, Long> theirs = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(3)).until(
        () -> bucketTotals(report("elsewhere", month), OTHER_BUCKET),
        t -> t.getOrDefault("S3-DataTransfer-Out-Bytes", 0L) == 777 && t.getOrDefault("latest:S3-TimedStorage-ByteHrs", 0L) == 777);
    assertThat(theirs.get("S3-Requests-Tier1")).isEqualTo(1);
    assertThat(theirs.get("S3-Requests-Tier2")).isEqualTo(1);
    assertThat(report("elsewhere", month).toString()).doesNotContain(BUCKET);

    // The tenant's own summary shows the bucket too.
    Credential owner = TenantClients.firstTenant(canopy);
    HttpResponse<String> summary = HTTP.send(AdminRequests.signedGet(URI.create(canopy.endpoint("console") + "/api/usage/summary?month=" + month),
        owner.accessKeyId(), owner.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
    JsonNode resources = JSON.readTree(summary.body()).path("resources");
    long tier2InSummary = 0;
    for (JsonNode r : resources) {
      if (r.path("resourceId").asText().equals(BUCKET) && r.path("skuId").asText().equals("S3-Requests-Tier2")) {
        tier2InSummary = r.path("consumedQuantity").asLong();
        assertThat(r.path("resourceType").asText()).isEqualTo("Bucket");
      }
    }
    assertThat(tier2InSummary).isEqualTo(tier2Sent);
    assertThat(summary.body()).doesNotContain(OTHER_BUCKET);
  }

  private static JsonNode report(String account, String month) throws Exception {
    CanopyCli.Result json = CanopyCli.run(dir, "billing", "report", "--account", account, "--month", month, "--format", "json",
        "--data", canopy.data().toString());
    assertThat(json.exit()).as(json.stderr()).isZero();
    return JSON.readTree(json.stdout());
  }

  /**
   * Per SKU, the bucket's quantities summed over the month's hours (the test may span an hour's
   * end), and under {@code latest:} the quantity of its latest hour.
   */
  private static Map<String, Long> bucketTotals(JsonNode report, String bucket) {
    Map<String, Long> totals = new TreeMap<>();
    Map<String, String> latestHour = new TreeMap<>();
    for (JsonNode row : report.path("rows")) {
      if (!row.path("ResourceId").asText().equals(bucket)) {
        continue;
      }
      String sku = row.path("SkuId").asText();
      long quantity = row.path("ConsumedQuantity").asLong();
      totals.merge(sku, quantity, Long::sum);
      String hour = row.path("ChargePeriodStart").asText();
      if (latestHour.getOrDefault(sku, "").compareTo(hour) <= 0) {
        latestHour.put(sku, hour);
        totals.put("latest:" + sku, quantity);
      }
    }
    return totals;
  }

  private static String field(String output, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + " = (\\S+)").matcher(output);
    assertThat(m.find()).as("'%s' in: %s", name, output).isTrue();
    return m.group(1);
  }
}
