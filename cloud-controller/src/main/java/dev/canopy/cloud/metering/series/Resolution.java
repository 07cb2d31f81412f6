package dev.canopy.cloud.metering.series;

/** The roll-up periods, each aligned on UTC (epoch seconds are UTC; a day has 86,400 of them). */
public enum Resolution {
  MINUTE(60),
  HOUR(3_600),
  DAY(86_400);

  private final long seconds;

  Resolution(long seconds) {
    this.seconds = seconds;
  }

  public long seconds() {
    return seconds;
  }

  /**
   * The start of the period a point stamped {@code second} counts in. A value is what happened during
   * the interval that <em>ended</em> at its second, so a point stamped exactly on a boundary (12:00:00)
   * counts in the period that ends there (11:00 to 12:00), where its traffic happened.
   */
  public long periodStart(long second) {
    return Math.floorDiv(second - 1, seconds) * seconds;
  }
}
