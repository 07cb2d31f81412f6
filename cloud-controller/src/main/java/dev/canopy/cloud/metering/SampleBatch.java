package dev.canopy.cloud.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code sampleBatch} message of a node agent, checked for what the store relies on: a batch id
 * that can be part of a key and an array of samples. The samples themselves are kept as sent
 * (docs/agent-protocol.md, "sampleBatch payload"); one without an instance id or a timestamp is
 * stored but never matches a query.
 *
 * @param nodeId the node named by the session's certificate, never by the message
 */
public record SampleBatch(String nodeId, String batchId, JsonNode samples) {

  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** @throws IllegalArgumentException when the batch id or the samples array is missing or malformed */
  public SampleBatch {
    Objects.requireNonNull(nodeId, "nodeId");
    if (batchId == null || !BATCH_ID.matcher(batchId).matches() || samples == null || !samples.isArray()) {
      throw new IllegalArgumentException("a sample batch needs a batchId (" + BATCH_ID.pattern() + ") and a samples array");
    }
  }

  /** Node and batch: the agent's batch ids are unique per node, so a resent batch has the same key. */
  String key() {
    return keyOf(nodeId, batchId);
  }

  static String keyOf(String nodeId, String batchId) {
    return nodeId + "/" + batchId;
  }
}
