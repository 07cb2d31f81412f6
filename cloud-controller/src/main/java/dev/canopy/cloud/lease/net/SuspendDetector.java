package dev.canopy.cloud.lease.net;

/**
 * Notices that this machine was suspended: {@code System.nanoTime()} (CLOCK_MONOTONIC) stops
 * during a suspend while the boot-time clock behind {@code /proc/uptime} runs on, so uptime
 * gaining on the monotonic clock means our lease clock under-counted and the lease must go
 * (PAXOSLEASE.md, "Timing"). Pure: the service feeds it one reading of each clock per second.
 */
final class SuspendDetector {

  /** /proc/uptime has 10 ms resolution; below twice that, a gain is rounding and scheduling. */
  static final long THRESHOLD_NANOS_MIN = 20_000_000L;

  private final long thresholdNanos;
  private boolean primed;
  private long lastMonotonicNanos;
  private double lastUptimeSeconds;

  /** @param fenceMarginMs the controller's fence margin: a suspend shorter than half of it is harmless */
  SuspendDetector(long fenceMarginMs) {
    this.thresholdNanos = Math.max(THRESHOLD_NANOS_MIN, fenceMarginMs * 1_000_000L / 2);
  }

  long thresholdNanos() {
    return thresholdNanos;
  }

  /**
   * Takes one reading of each clock; returns by how many nanoseconds uptime outran the
   * monotonic clock since the previous reading when that exceeds the threshold, else 0. A NaN
   * uptime (no /proc/uptime) disables detection.
   */
  long observe(long monotonicNanos, double uptimeSeconds) {
    if (Double.isNaN(uptimeSeconds)) {
      primed = false;
      return 0;
    }
    long gainNanos = 0;
    if (primed) {
      long uptimeDeltaNanos = (long) ((uptimeSeconds - lastUptimeSeconds) * 1e9);
      long monotonicDeltaNanos = monotonicNanos - lastMonotonicNanos;
      gainNanos = uptimeDeltaNanos - monotonicDeltaNanos;
    }
    primed = true;
    lastMonotonicNanos = monotonicNanos;
    lastUptimeSeconds = uptimeSeconds;
    return gainNanos > thresholdNanos ? gainNanos : 0;
  }
}
