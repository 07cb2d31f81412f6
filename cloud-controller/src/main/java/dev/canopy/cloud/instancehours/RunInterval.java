package dev.canopy.cloud.instancehours;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * One stretch of an instance's billable run time: from when it entered {@code running} until it
 * left it (for stopping, shutting-down, or a failed stop's way back is a new interval), of the
 * instance type it ran as. A type changed while stopped applies to the next interval, since the type
 * is fixed when the interval opens.
 *
 * @param end null while the instance is still running
 */
public record RunInterval(String instanceType, Instant start, Instant end) {

  public RunInterval {
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(start, "start");
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("a run interval ends at or after its start: " + start + " > " + end);
    }
  }

  /** The interval that opens as the instance enters {@code running} at {@code at}. */
  public static RunInterval openedAt(String instanceType, Instant at) {
    return new RunInterval(instanceType, at, null);
  }

  /** This interval as it closes when the instance leaves {@code running} at {@code at}. */
  public RunInterval closedAt(Instant at) {
    if (!isOpen()) {
      throw new IllegalStateException("the run interval from " + start + " already ended at " + end);
    }
    return new RunInterval(instanceType, start, at);
  }

  @JsonIgnore
  public boolean isOpen() {
    return end == null;
  }
}
