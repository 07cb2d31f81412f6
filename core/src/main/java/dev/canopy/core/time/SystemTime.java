package dev.canopy.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The JVM's clocks and {@code Thread.sleep}: the only production class that reads them, so every
 * other class gets its time injected and can be driven by a manual {@code Time} in tests.
 */
public final class SystemTime implements Time {

  /** The one instance; composition roots hand it down. */
  public static final Time INSTANCE = new SystemTime();

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private SystemTime() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Clock.systemUTC().instant();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    long nanos = duration.toNanos();
    Thread.sleep(nanos / NANOS_PER_MILLI, (int) (nanos % NANOS_PER_MILLI));
  }

  @Override
  public String toString() {
    return "SystemTime";
  }
}
