package dev.canopy.storage.kv.engine;

import java.util.Arrays;

/**
 * The latest request latencies (a fixed window, so memory stays bounded) and their percentiles:
 * simple, and recent rather than since start, which is what an operator looking at a node wants.
 */
final class LatencyWindow {

  static final int SAMPLES_MAX = 1024;

  private final long[] samples = new long[SAMPLES_MAX];
  private long recorded;

  synchronized void record(long micros) {
    samples[(int) (recorded++ % SAMPLES_MAX)] = micros;
  }

  synchronized long percentile(int percent) {
    int size = (int) Math.min(recorded, SAMPLES_MAX);
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return sorted[Math.min(size - 1, (size * percent + 99) / 100 - 1)];
  }
}
