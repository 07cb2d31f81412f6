package dev.canopy.cloud.latency;

import java.util.Arrays;

/**
 * Counts of latencies in logarithmic buckets: bucket {@code i} holds values up to
 * {@code 0.05 ms × 1.2^i}, the last everything beyond (about 10 minutes), so a quantile is exact to
 * within 20 %. Mergeable by adding counts; small enough to publish (at most {@value #BUCKETS} longs).
 */
public final class LatencyHistogram {

  public static final int BUCKETS = 90;
  private static final double FIRST_MS = 0.05;
  private static final double GROWTH = 1.2;

  private final long[] counts;

  public LatencyHistogram() {
    this.counts = new long[BUCKETS];
  }

  private LatencyHistogram(long[] counts) {
    this.counts = counts;
  }

  /** From published counts; a shorter array is padded, a longer one's tail added to the last bucket. */
  public static LatencyHistogram of(long[] counts) {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < counts.length; i++) {
      copy[Math.min(i, BUCKETS - 1)] += Math.max(0, counts[i]);
    }
    return new LatencyHistogram(copy);
  }

  public void add(double millis) {
    counts[bucket(millis)]++;
  }

  public void addAll(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
  }

  public long count() {
    return Arrays.stream(counts).sum();
  }

  public long[] counts() {
    return counts.clone();
  }

  /** The upper bound of the bucket holding quantile {@code q} (0..1), in ms; NaN when empty. */
  public double quantile(double q) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(BUCKETS - 1);
  }

  static int bucket(double millis) {
    if (!(millis > FIRST_MS)) {
      return 0;
    }
    int i = (int) Math.ceil(Math.log(millis / FIRST_MS) / Math.log(GROWTH));
    return Math.min(BUCKETS - 1, Math.max(0, i));
  }

  static double upperBound(int bucket) {
    return FIRST_MS * Math.pow(GROWTH, bucket);
  }
}
