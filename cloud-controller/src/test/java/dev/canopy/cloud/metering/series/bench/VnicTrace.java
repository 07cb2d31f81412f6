package dev.canopy.cloud.metering.series.bench;

import java.util.SplittableRandom;

/**
 * Synthetic days of one vNIC byte counter, as the agent sends them: a delta every 10 s, seeded.
 */
public enum VnicTrace {
  /** A VM that sends nothing: every delta 0. */
  IDLE,
  /** Small random traffic: half the intervals silent, the others 60 B to 20 kB. */
  LIGHT,
  /**
   * A 1 Gbit/s link near line rate: 1.25 GB per 10 s, ±0.5 % uniform jitter. The jitter alone carries
   * log2(12.5 million) ≈ 23.6 bits a sample: about 3 bytes is the floor for any lossless codec.
   */
  BUSY;

  public static final int POINTS_PER_DAY = 8_640;
  static final long LINE_RATE_BYTES_PER_INTERVAL = 1_250_000_000L;
  static final long JITTER_BYTES = LINE_RATE_BYTES_PER_INTERVAL / 200;
  /** 2023-11-14T00:00:00Z: blocks start on hour boundaries. */
  static final long DAY_START_SECOND = 1_699_920_000L;

  long[] seconds() {
    long[] seconds = new long[POINTS_PER_DAY];
    for (int i = 0; i < POINTS_PER_DAY; i++) {
      seconds[i] = DAY_START_SECOND + 10L * i;
    }
    return seconds;
  }

  public long[] values(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] values = new long[POINTS_PER_DAY];
    for (int i = 0; i < POINTS_PER_DAY; i++) {
      values[i] = switch (this) {
        case IDLE -> 0;
        case LIGHT -> random.nextBoolean() ? 0 : 60 + random.nextInt(20_000);
        case BUSY -> LINE_RATE_BYTES_PER_INTERVAL + random.nextLong(-JITTER_BYTES, JITTER_BYTES + 1);
      };
    }
    return values;
  }
}
