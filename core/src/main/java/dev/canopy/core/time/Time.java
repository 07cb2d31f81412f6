package dev.canopy.core.time;

import java.time.Duration;
import java.time.InstantSource;

/**
 * The clocks and the sleep a process uses, injected so tests move time by hand and never wait.
 *
 * <p>A {@code Time} is also the wall clock ({@link InstantSource}): pass it wherever rules only
 * need wall time. Rules that measure intervals use {@link #nanoTime()}, which never jumps.
 */
public interface Time extends InstantSource {

  /** Monotonic nanoseconds (as {@code System.nanoTime()}): compare readings by difference only. */
  long nanoTime();

  /** Sleeps for {@code duration}; zero or negative returns at once. */
  void sleep(Duration duration) throws InterruptedException;
}
