package dev.canopy.cloud.metering;

/**
 * Half-open range {@code [fromMs, toMs)} of sample timestamps ({@code timestampMs}: the agent's wall
 * clock when it read the counters, epoch milliseconds).
 */
public record TimeRange(long fromMs, long toMs) {

  /** Every sample. */
  public static final TimeRange ALL = new TimeRange(0, Long.MAX_VALUE);

  public TimeRange {
    if (fromMs < 0 || toMs <= fromMs) {
      throw new IllegalArgumentException("a time range needs 0 <= fromMs < toMs, got [" + fromMs + ", " + toMs + ")");
    }
  }

  boolean contains(long timestampMs) {
    return timestampMs >= fromMs && timestampMs < toMs;
  }
}
