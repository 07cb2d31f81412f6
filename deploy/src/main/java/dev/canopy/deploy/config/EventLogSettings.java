package dev.canopy.deploy.config;

import dev.canopy.cloud.events.EventLimits;
import java.time.Duration;

/**
 * How much of the event log the controllers keep ({@code eventLog:}): at most {@code maxEvents}
 * events (default {@value #EVENTS_DEFAULT}) and none older than {@code maxAgeDays} days (default
 * {@value #AGE_DAYS_DEFAULT}); the oldest go first.
 */
public record EventLogSettings(Long maxEvents, Integer maxAgeDays) {

  public static final long EVENTS_DEFAULT = 100_000;
  public static final int AGE_DAYS_DEFAULT = 30;
  /** Each event is a grid entry (a few hundred bytes) held in every controller's memory: ten million is a few GiB. */
  private static final long EVENTS_MAX = 10_000_000;
  private static final int AGE_DAYS_MAX = 3_660;

  public EventLogSettings {
    maxEvents = maxEvents == null ? EVENTS_DEFAULT : maxEvents;
    if (maxEvents < 1 || maxEvents > EVENTS_MAX) {
      throw new ConfigException("eventLog.maxEvents", "must be 1.." + EVENTS_MAX + " events, got " + maxEvents);
    }
    maxAgeDays = maxAgeDays == null ? AGE_DAYS_DEFAULT : maxAgeDays;
    if (maxAgeDays < 1 || maxAgeDays > AGE_DAYS_MAX) {
      throw new ConfigException("eventLog.maxAgeDays", "must be 1.." + AGE_DAYS_MAX + " days, got " + maxAgeDays);
    }
  }

  public static EventLogSettings defaults() {
    return new EventLogSettings(null, null);
  }

  public EventLimits limits() {
    return new EventLimits(maxEvents, Duration.ofDays(maxAgeDays));
  }
}
