package dev.canopy.cloud.lease;

/**
 * The two clock readings a driver hands the core with every input.
 *
 * @param monotonicNanos {@code System.nanoTime()} on this machine: the only time the rules use
 * @param wallClockMillis wall-clock time, which can jump; carried so the simulator can show that a
 *     core which reads it (a test-only bug) fails, while the real core ignores it
 */
public record LocalNow(long monotonicNanos, long wallClockMillis) {

  /** A reading for tests whose wall clock agrees with the monotonic one. */
  public static LocalNow ofNanos(long monotonicNanos) {
    return new LocalNow(monotonicNanos, Math.floorDiv(monotonicNanos, 1_000_000L));
  }
}
