package dev.canopy.core.time;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Polling a condition until it holds, bounded twice: by a timeout on the injected {@link Time} and
 * by a number of polls ({@code timeout / pollInterval + 2}), so a clock that stands still cannot
 * make it spin forever. The condition is always checked once more after the last sleep, so a
 * condition that comes true just at the deadline is still seen.
 */
public final class Waiting {

  private Waiting() {}

  /** A condition that may fail with {@code E}, which the wait passes on unchanged. */
  @FunctionalInterface
  public interface Condition<E extends Exception> {
    boolean holds() throws E;
  }

  /** A look for a value, empty while there is none yet; may fail with {@code E}. */
  @FunctionalInterface
  public interface Probe<T, E extends Exception> {
    Optional<T> poll() throws E;
  }

  /**
   * Waits until {@code condition} holds.
   *
   * @param what what is waited for, for the message when the wait gives up ("node 3 to report")
   * @throws TimeoutException naming {@code what} and the timeout, when it never held
   */
  public static <E extends Exception> void until(Time time, String what, Condition<E> condition, Duration timeout,
      Duration pollInterval) throws E, InterruptedException, TimeoutException {
    untilPresent(time, what, asProbe(condition), timeout, pollInterval);
  }

  /** Waits until {@code probe} finds a value and returns it; gives up as {@link #until} does. */
  public static <T, E extends Exception> T untilPresent(Time time, String what, Probe<T, E> probe, Duration timeout,
      Duration pollInterval) throws E, InterruptedException, TimeoutException {
    Optional<T> found = presentWithin(time, probe, timeout, pollInterval);
    if (found.isEmpty()) {
      throw new TimeoutException("gave up after " + Durations.text(timeout) + " waiting for " + what);
    }
    return found.get();
  }

  /** Whether {@code condition} held within {@code timeout}: for waits whose running out is an answer, not a failure. */
  public static <E extends Exception> boolean holdsWithin(Time time, Condition<E> condition, Duration timeout,
      Duration pollInterval) throws E, InterruptedException {
    return presentWithin(time, asProbe(condition), timeout, pollInterval).isPresent();
  }

  /** The value {@code probe} found within {@code timeout}, or empty. */
  public static <T, E extends Exception> Optional<T> presentWithin(Time time, Probe<T, E> probe, Duration timeout,
      Duration pollInterval) throws E, InterruptedException {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive: " + pollInterval);
    }
    Deadline deadline = Deadline.after(time, timeout);
    long pollsMax = timeout.toNanos() / pollInterval.toNanos() + 2;
    for (long poll = 0; poll < pollsMax; poll++) {
      Optional<T> found = probe.poll();
      if (found.isPresent()) {
        return found;
      }
      if (deadline.expired()) {
        break;
      }
      Duration remaining = deadline.remaining();
      time.sleep(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
    }
    return Optional.empty();
  }

  private static <E extends Exception> Probe<Boolean, E> asProbe(Condition<E> condition) {
    return () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty();
  }
}
