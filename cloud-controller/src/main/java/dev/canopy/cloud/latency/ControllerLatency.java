package dev.canopy.cloud.latency;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one controller measured over its window, as it publishes it to the grid (map
 * {@value #MAP}, key the controller id): per key ({@code hb/NODE}, {@code lost/NODE},
 * {@code cmd/NODE}, {@code api/API/NETWORK}) its histogram, sparse as {@code "bucket:count ..."}.
 */
public record ControllerLatency(String controllerId, long atMillis, Map<String, String> histograms) {

  public static final String MAP = "latency";

  public ControllerLatency {
    histograms = histograms == null ? Map.of() : Map.copyOf(histograms);
  }

  public static ControllerLatency of(String controllerId, long atMillis, Map<String, LatencyHistogram> histograms) {
    Map<String, String> sparse = new TreeMap<>();
    histograms.forEach((key, histogram) -> {
      StringBuilder text = new StringBuilder();
      long[] counts = histogram.counts();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          text.append(text.isEmpty() ? "" : " ").append(i).append(':').append(counts[i]);
        }
      }
      sparse.put(key, text.toString());
    });
    return new ControllerLatency(controllerId, atMillis, sparse);
  }

  /** The histograms back; a malformed entry reads as empty. */
  public Map<String, LatencyHistogram> decoded() {
    Map<String, LatencyHistogram> decoded = new TreeMap<>();
    histograms.forEach((key, text) -> {
      long[] counts = new long[LatencyHistogram.BUCKETS];
      for (String pair : text.isBlank() ? new String[0] : text.trim().split(" ")) {
        String[] parts = pair.split(":");
        try {
          int bucket = Integer.parseInt(parts[0]);
          if (parts.length == 2 && bucket >= 0 && bucket < counts.length) {
            counts[bucket] += Long.parseLong(parts[1]);
          }
        } catch (NumberFormatException e) {
          // skipped: another version's entry
        }
      }
      decoded.put(key, LatencyHistogram.of(counts));
    });
    return decoded;
  }
}
