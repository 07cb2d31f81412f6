package dev.canopy.cloud.storeclient.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link KvBatchGetBenchmark}'s JMH JSON results and prints, per value size, the per-key
 * loop's time over the batch read's: the {@code JMH_REPORT} of {@code bench/jmh.sh}. The path is
 * the first argument, else {@code bench/results/kv-batch-get.json} (run from the repository root).
 */
public final class KvBatchGetRatio {

  private KvBatchGetRatio() {}

  public static void main(String[] args) throws IOException {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results/kv-batch-get.json");
    Map<String, double[]> byValueSize = new TreeMap<>();
    for (JsonNode run : new ObjectMapper().readTree(results.toFile())) {
      String benchmark = run.path("benchmark").asText();
      if (!benchmark.startsWith(KvBatchGetBenchmark.class.getName() + ".")) {
        continue;
      }
      double[] pair = byValueSize.computeIfAbsent(run.path("params").path("valueBytes").asText(), v -> new double[2]);
      pair[benchmark.endsWith(".batch") ? 0 : 1] = run.path("primaryMetric").path("score").asDouble();
    }
    System.out.println();
    System.out.println("value bytes   batch ms   per-key ms   per-key / batch   (1,000 keys, 900 present)");
    byValueSize.forEach((size, pair) -> System.out.printf(Locale.ROOT, "%11s %10.2f %12.2f %17.1f%n",
        size, pair[0], pair[1], pair[0] > 0 ? pair[1] / pair[0] : Double.NaN));
  }
}
