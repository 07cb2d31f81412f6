package dev.canopy.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fold's schedule: one pass at a time however long a pass takes, the next at once while a
 * backlog remains, a failed pass retried, nothing after close. (Under a backlog the periodic timer
 * it replaces started a pass every 5 s on top of the running ones, until they filled the worker
 * pool that also stores the agents' batches: seen in the metering scale run.)
 */
class FoldScheduleTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aPassSlowerThanThePeriodIsNeverOverlappedByTheNext() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger passes = new AtomicInteger();
    FoldSchedule schedule = new FoldSchedule(vertx, Duration.ofMillis(20), () -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      slowPass(150);
      running.decrementAndGet();
      passes.incrementAndGet();
      return false;
    });
    schedule.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() >= 4);
    schedule.close();
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void whileAPassLeavesABacklogTheNextRunsAtOnceAndThenItWaitsThePeriod() {
    AtomicInteger passes = new AtomicInteger();
    // Four full passes, then the backlog is gone; with a 10 s period that would take 40 s.
    FoldSchedule schedule = new FoldSchedule(vertx, Duration.ofSeconds(10), () -> passes.incrementAndGet() < 5);
    long started = System.nanoTime();
    schedule.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> passes.get() == 5);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> passes.get() == 5);
    schedule.close();
    // The first pass waits one period; the other four follow it at once, and none comes after.
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(passes.get()).isEqualTo(5);
  }

  @Test
  void aFailedPassIsRetriedAtTheNextTickAndCloseStopsThem() {
    AtomicInteger calls = new AtomicInteger();
    FoldSchedule schedule = new FoldSchedule(vertx, Duration.ofMillis(50), () -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("the store is away");
      }
      return false;
    });
    schedule.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
    schedule.close();
    // A pass already under way may still end; after that, nothing more runs.
    int afterClose = await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(calls::get, n -> true);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == afterClose);
  }

  /** A pass that takes its time, as a fold under a backlog does. */
  private static void slowPass(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
