package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.s3.BucketRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bucket records in the grid's JSON: the id survives, and a record from before ids reads as id = name. */
class BucketRecordJsonTest {

  private final ObjectMapper json = GridJson.create();

  @Test
  void aRecordStoredBeforeBucketsHadIdsReadsWithItsNameAsId() throws Exception {
    BucketRecord legacy = json.readValue(
        "{\"name\":\"photos\",\"ownerAccountId\":\"111122223333\",\"createdAt\":\"2026-01-02T03:04:05Z\",\"region\":\"canopy-1\"}",
        BucketRecord.class);
    assertThat(legacy.id()).isEqualTo("photos");
  }

  @Test
  void aBucketsIdRoundTrips() throws Exception {
    BucketRecord bucket = new BucketRecord("photos", "111122223333", Instant.parse("2026-01-02T03:04:05Z"), "canopy-1",
        "b_0123456789abcdef0123456789abcdef");
    assertThat(json.readValue(json.writeValueAsBytes(bucket), BucketRecord.class)).isEqualTo(bucket);
  }
}
