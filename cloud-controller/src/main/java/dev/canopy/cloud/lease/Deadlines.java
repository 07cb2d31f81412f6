package dev.canopy.cloud.lease;

/**
 * Comparisons of monotonic nanosecond readings by difference, as {@code System.nanoTime()}
 * requires (its values may wrap; only differences are meaningful).
 */
final class Deadlines {

  private Deadlines() {}

  /** Whether {@code now} is at or past {@code deadline}. */
  static boolean reached(long nowNanos, long deadlineNanos) {
    return nowNanos - deadlineNanos >= 0;
  }

  static boolean before(long nowNanos, long deadlineNanos) {
    return nowNanos - deadlineNanos < 0;
  }

  static long later(long aNanos, long bNanos) {
    return aNanos - bNanos >= 0 ? aNanos : bNanos;
  }

  static long msToNanos(long ms) {
    return Math.multiplyExact(ms, 1_000_000L);
  }
}
