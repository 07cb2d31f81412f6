package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuspendDetectorTest {

  private static final long SECOND_NANOS = 1_000_000_000L;

  @Test
  void theThresholdIsTwentyMillisecondsOrHalfTheFenceMargin() {
    assertThat(new SuspendDetector(0).thresholdNanos()).isEqualTo(20_000_000L);
    assertThat(new SuspendDetector(30).thresholdNanos()).isEqualTo(20_000_000L);
    assertThat(new SuspendDetector(500).thresholdNanos()).isEqualTo(250_000_000L);
  }

  @Test
  void clocksRunningTogetherWithRoundingNeverFire() {
    SuspendDetector detector = new SuspendDetector(100);
    double uptime = 1000.0;
    long nanos = 5 * SECOND_NANOS;
    for (int i = 0; i < 100; i++) {
      assertThat(detector.observe(nanos, uptime)).isZero();
      nanos += SECOND_NANOS + (i % 3) * 3_000_000L; // timer lateness
      uptime = Math.floor(((nanos - 5 * SECOND_NANOS) / 1e9 + 1000.0) * 100) / 100; // 10 ms resolution
    }
  }

  @Test
  void uptimeOutrunningTheMonotonicClockFiresOnce() {
    SuspendDetector detector = new SuspendDetector(100);
    detector.observe(0, 50.0);
    // One second passed on the monotonic clock, 31 on uptime: a 30 s suspend.
    assertThat(detector.observe(SECOND_NANOS, 81.0)).isEqualTo(30 * SECOND_NANOS);
    assertThat(detector.observe(2 * SECOND_NANOS, 82.0)).isZero();
    // Just above the 50 ms threshold (half of a 100 ms fence margin), and just below.
    assertThat(detector.observe(3 * SECOND_NANOS, 83.06)).isGreaterThan(50_000_000L);
    assertThat(detector.observe(4 * SECOND_NANOS, 84.10)).isZero();
  }

  @Test
  void noUptimeMeansNoDetection() {
    SuspendDetector detector = new SuspendDetector(100);
    detector.observe(0, Double.NaN);
    assertThat(detector.observe(SECOND_NANOS, Double.NaN)).isZero();
    assertThat(detector.observe(2 * SECOND_NANOS, 500.0)).as("first reading only primes").isZero();
  }
}
