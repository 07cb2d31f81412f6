package dev.canopy.images.cache;

import java.time.Duration;

/** Waits between download attempts; injected so tests retry without waiting. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
