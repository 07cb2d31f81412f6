package dev.canopy.cloud.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer to a sample query: the earliest matching samples, oldest first.
 *
 * @param truncated more samples matched than {@link MeteringService#SAMPLES_PER_QUERY_MAX}; a
 *     range starting at the last timestamp returned reads on (that timestamp's samples come again)
 */
public record SamplePage(List<JsonNode> samples, boolean truncated) {

  public SamplePage {
    samples = List.copyOf(samples);
  }
}
