package dev.canopy.cloud.metering.series;

/**
 * When an open block is sealed: at {@code pointsMax} points, or when a point arrives past the end of
 * its window. Windows are aligned on UTC epoch multiples of {@code windowSeconds} (hours for the
 * default), so every second has exactly one block window and a late point knows where it belongs.
 */
public record BlockPolicy(int pointsMax, long windowSeconds) {

  /** An hour of 10-second samples: 360 points. */
  public static final BlockPolicy HOURLY_TEN_SECOND = new BlockPolicy(360, 3600);

  public BlockPolicy {
    if (pointsMax < 1 || pointsMax > BlockCodec.POINTS_PER_BLOCK_MAX) {
      throw new IllegalArgumentException("pointsMax " + pointsMax + " is outside 1.." + BlockCodec.POINTS_PER_BLOCK_MAX);
    }
    if (windowSeconds < 1 || windowSeconds > 86_400) {
      throw new IllegalArgumentException("windowSeconds " + windowSeconds + " is outside 1..86400");
    }
  }

  long windowStart(long second) {
    return second - Math.floorMod(second, windowSeconds);
  }
}
