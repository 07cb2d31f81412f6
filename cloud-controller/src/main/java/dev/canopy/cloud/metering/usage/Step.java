package dev.canopy.cloud.metering.usage;

import java.util.Optional;

/** The periods a series can be summed over for a graph: the raw 10-second points, or a roll-up. */
public enum Step {
  TEN_SECONDS(10),
  MINUTE(60),
  HOUR(3_600),
  DAY(86_400);

  private final long seconds;

  Step(long seconds) {
    this.seconds = seconds;
  }

  public long seconds() {
    return seconds;
  }

  /** The step of {@code seconds}, as a query names it; empty for any other number. */
  public static Optional<Step> ofSeconds(long seconds) {
    for (Step s : values()) {
      if (s.seconds == seconds) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The start of the period a point stamped {@code second} counts in (a boundary point ends its period). */
  public long periodStart(long second) {
    return Math.floorDiv(second - 1, seconds) * seconds;
  }
}
