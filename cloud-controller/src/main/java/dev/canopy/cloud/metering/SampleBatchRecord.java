package dev.canopy.cloud.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * A metering batch as stored (grid map {@value MeteringService#MAP_NAME}, key {@code nodeId/batchId}):
 * the samples raw, as the agent sent them, until an aggregator turns them into series.
 *
 * @param receivedAt the controller's clock when the batch was first stored (a resend does not change it)
 * @param owners the account that owned each instance of the batch when it was stored, by instance id;
 *     an instance the controller did not know is absent. Null in batches stored before owners were recorded.
 */
public record SampleBatchRecord(String nodeId, String batchId, Instant receivedAt, JsonNode samples, Map<String, String> owners) {

  /** The owners, never null (batches stored before owners were recorded have none). */
  public Map<String, String> ownersOrEmpty() {
    return owners == null ? Map.of() : owners;
  }
}
