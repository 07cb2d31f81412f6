package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Requests counted since the storage role's last push are not lost when the cloud stops: with
 * pushes an hour apart, a tenant's requests just before a stop reach its bill after the restart.
 */
class BucketUsageAtStopIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "counted-before-stop";

  @TempDir static Path dir;
  static CanopyProcess canopy;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("canopy.yaml");
    Files.writeString(config, "s3:\n  usageFlushSeconds: 3600\n");
    canopy = CanopyProcess.start(dir.resolve("data"), Map.of(), List.of("--config", config.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  @Test
  void requestsCountedJustBeforeAStopReachTheBillAfterTheRestart() throws Exception {
    try (S3Client s3 = TenantClients.s3(canopy, TenantClients.tenant(canopy))) {
      s3.createBucket(r -> r.bucket(BUCKET));
      s3.putObject(r -> r.bucket(BUCKET).key("a"), RequestBody.fromBytes(new byte[100]));
      s3.putObject(r -> r.bucket(BUCKET).key("b"), RequestBody.fromBytes(new byte[200]));
      assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("b")).asByteArray()).hasSize(200);
    }
    canopy.restart(); // SIGTERM, as an operator stops it, then a start on the same folder

    String month = YearMonth.now(ZoneOffset.UTC).toString();
    Map<String, Long> totals = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3))
        .until(() -> bucketTotals(month), t -> t.getOrDefault("S3-Requests-Tier2", 0L) >= 1);
    assertThat(totals.get("S3-Requests-Tier1")).as("the two PUTs").isEqualTo(2);
    assertThat(totals.get("S3-Requests-Tier2")).as("the GET").isEqualTo(1);
    assertThat(totals.get("S3-DataTransfer-Out-Bytes")).isEqualTo(200);
  }

  private static Map<String, Long> bucketTotals(String month) throws Exception {
    CanopyCli.Result json = CanopyCli.run(dir, "billing", "report", "--account", "default", "--month", month, "--format", "json",
        "--data", canopy.data().toString());
    assertThat(json.exit()).as(json.stderr()).isZero();
    Map<String, Long> totals = new TreeMap<>();
    for (JsonNode row : JSON.readTree(json.stdout()).path("rows")) {
      if (row.path("ResourceId").asText().equals(BUCKET)) {
        totals.merge(row.path("SkuId").asText(), row.path("ConsumedQuantity").asLong(), Long::sum);
      }
    }
    return totals;
  }
}
