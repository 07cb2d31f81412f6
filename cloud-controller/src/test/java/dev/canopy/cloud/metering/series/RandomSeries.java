package dev.canopy.cloud.metering.series;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded series of the shapes the codec must carry exactly. */
enum RandomSeries {
  REGULAR, GAPPY, IRREGULAR, CONSTANT, ZERO, HUGE, NEGATIVE, SINGLE;

  SeriesPoints make(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int count = this == SINGLE ? 1 : 2 + random.nextInt(BlockCodec.POINTS_PER_BLOCK_MAX - 1);
    long[] seconds = new long[count];
    long[] values = new long[count];
    seconds[0] = random.nextLong(SeriesPoints.SECOND_MAX - 10L * 3 * BlockCodec.POINTS_PER_BLOCK_MAX);
    long constant = random.nextLong();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        seconds[i] = seconds[i - 1] + switch (this) {
          case GAPPY -> random.nextInt(8) == 0 ? 10L * (2 + random.nextInt(3)) : 10;
          case IRREGULAR -> 1 + random.nextInt(20);
          default -> 10;
        };
      }
      values[i] = switch (this) {
        case CONSTANT -> constant;
        case ZERO -> 0;
        // Extremes next to each other: deltas between them wrap around int64.
        case HUGE -> random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
        case NEGATIVE -> -random.nextLong(1L << 40);
        default -> random.nextLong(1L << random.nextInt(1, 63));
      };
    }
    return new SeriesPoints(seconds, values);
  }

  /** The points shuffled (deterministically), as a replaying agent could send them. */
  static int[] shuffledOrder(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[count];
    Arrays.setAll(order, i -> i);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
