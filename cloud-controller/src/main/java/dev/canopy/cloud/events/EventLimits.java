package dev.canopy.cloud.events;

import java.time.Duration;

/**
 * How much of the log is kept: at most {@code events} entries and none older than {@code age}; the
 * oldest go first, whichever bound they cross.
 */
public record EventLimits(long events, Duration age) {

  /** 100,000 events, 30 days. */
  public static final EventLimits DEFAULT = new EventLimits(100_000, Duration.ofDays(30));

  public EventLimits {
    if (events < 1) {
      throw new IllegalArgumentException("the event log keeps at least one event, not " + events);
    }
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("the event log's age bound must be positive, not " + age);
    }
  }
}
