package dev.canopy.cloud.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A metering batch as received, kept raw until the metering issue aggregates it. */
public record SampleBatchRecord(String nodeId, String batchId, Instant receivedAt, JsonNode samples) {}
