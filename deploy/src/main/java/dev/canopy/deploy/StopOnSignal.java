package dev.canopy.deploy;

import java.util.concurrent.CountDownLatch;

/**
 * How a long-running role ends: SIGTERM or Ctrl-C runs {@code close} once, between a "stopping"
 * and a "stopped" line, and {@link #await} returns after it.
 */
public final class StopOnSignal {

  private StopOnSignal() {}

  /** Blocks until the JVM is asked to stop and {@code close} has run. */
  public static void await(String name, Runnable close) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println(name + ": stopping");
      close.run();
      System.out.println(name + ": stopped");
      stopped.countDown();
    }, "canopy-shutdown"));
    stopped.await();
  }
}
