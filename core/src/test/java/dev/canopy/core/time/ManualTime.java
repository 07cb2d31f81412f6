package dev.canopy.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Time} moved by hand, for tests of every module (it ships in this module's test jar):
 * {@link #sleep} returns at once and moves the clocks on by the duration asked, so waits and
 * retries run without real time passing; {@link #sleeps()} says what was asked. Thread safe.
 */
public final class ManualTime implements Time {

  /** Where the wall clock starts unless told otherwise: a fixed, recognisable instant. */
  public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private final Instant wallStart;
  private long elapsedNanos;
  private final List<Duration> sleeps = new ArrayList<>();
  private Runnable onSleep = () -> {};

  public ManualTime() {
    this(START);
  }

  public ManualTime(Instant wallStart) {
    this.wallStart = wallStart;
  }

  /**
   * A monotonic reading that starts far from zero, like the real one may, so a rule that treats
   * the reading as an absolute time (rather than a difference) shows up.
   */
  @Override
  public synchronized long nanoTime() {
    return Long.MAX_VALUE - 1_000_000_000_000L + elapsedNanos;
  }

  @Override
  public synchronized Instant instant() {
    return wallStart.plusNanos(elapsedNanos);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a manual sleep");
    }
    Runnable hook;
    synchronized (this) {
      sleeps.add(duration);
      if (!duration.isNegative()) {
        elapsedNanos += duration.toNanos();
      }
      hook = onSleep;
    }
    hook.run();
  }

  /** Moves both clocks on. */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("monotonic time does not go back: " + duration);
    }
    elapsedNanos += duration.toNanos();
  }

  /** Runs {@code hook} after every sleep, e.g. to let the world change while a wait sleeps. */
  public synchronized void onSleep(Runnable hook) {
    this.onSleep = hook;
  }

  /** Every sleep asked for, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** How far the clocks have moved since this time was made. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }
}
