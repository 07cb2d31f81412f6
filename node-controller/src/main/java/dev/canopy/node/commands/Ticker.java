package dev.canopy.node.commands;

import java.time.Duration;

/** Monotonic time and sleeping, injected so stop timeouts can be tested without waiting. */
public interface Ticker {

  long nanoTime();

  void sleep(Duration duration) throws InterruptedException;

  static Ticker system() {
    return new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
      }
    };
  }
}
