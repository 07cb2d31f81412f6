package dev.canopy.core.time;

import java.time.Duration;

/**
 * A bound counted from when it was made, on a {@link Time}'s monotonic clock: whether it has
 * passed and how long is left. Readings are compared by difference, so it holds across the
 * wrap-around of {@code nanoTime}.
 */
public final class Deadline {

  private final Time time;
  private final Duration bound;
  private final long endNanos;

  private Deadline(Time time, Duration bound) {
    if (bound.isNegative()) {
      throw new IllegalArgumentException("a deadline's bound must not be negative: " + bound);
    }
    this.time = time;
    this.bound = bound;
    this.endNanos = time.nanoTime() + bound.toNanos();
  }

  /** The deadline {@code bound} from now on {@code time}. */
  public static Deadline after(Time time, Duration bound) {
    return new Deadline(time, bound);
  }

  public boolean expired() {
    return time.nanoTime() - endNanos >= 0;
  }

  /** What is left, zero once expired. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - time.nanoTime()));
  }

  /** The bound it was made with, for messages that say what was allowed. */
  public Duration bound() {
    return bound;
  }

  @Override
  public String toString() {
    return "Deadline[bound=" + bound + ", remaining=" + remaining() + "]";
  }
}
