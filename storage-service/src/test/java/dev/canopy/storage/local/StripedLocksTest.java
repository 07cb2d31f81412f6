package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The locks that serialize commits on one key or upload: exclusion per name, no deadlock between
 * callers naming the same keys in opposite orders (DeleteObjects locks up to 1000 at once), a name
 * given twice locked once, and every stripe free again after close.
 */
class StripedLocksTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aNameIsHeldByOneCallerAtATime() throws Exception {
    StripedLocks locks = new StripedLocks(64);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holder = pool.submit(() -> {
      try (StripedLocks.Held h = locks.lock("obkt\0key")) {
        held.countDown();
        release.await();
      }
      return null;
    });
    held.await();
    AtomicBoolean acquired = new AtomicBoolean();
    Future<?> waiter = pool.submit(() -> {
      try (StripedLocks.Held h = locks.lock("obkt\0key")) {
        acquired.set(true);
      }
    });
    // While the first holds the name, the second must wait (checked over a short window).
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).untilFalse(acquired);
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    waiter.get(10, TimeUnit.SECONDS);
    assertThat(acquired).isTrue();
  }

  @Test
  void countersUnderTheLockLoseNoUpdates() throws Exception {
    StripedLocks locks = new StripedLocks(4);
    int[] counters = new int[3];
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      workers.add(pool.submit(() -> {
        for (int i = 0; i < 2_000; i++) {
          int which = i % counters.length;
          try (StripedLocks.Held h = locks.lock("counter-" + which)) {
            counters[which]++; // a plain read-modify-write: only the lock makes it safe
          }
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    int total = counters[0] + counters[1] + counters[2];
    assertThat(total).isEqualTo(8 * 2_000);
  }

  @Test
  void callersNamingTheSameKeysInOppositeOrdersDoNotDeadlock() throws Exception {
    StripedLocks locks = new StripedLocks(64);
    String[] forward = new String[50];
    String[] backward = new String[50];
    for (int i = 0; i < 50; i++) {
      forward[i] = "okey-" + i;
      backward[49 - i] = "okey-" + i;
    }
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      String[] names = t % 2 == 0 ? forward : backward;
      workers.add(pool.submit(() -> {
        for (int i = 0; i < 300; i++) {
          try (StripedLocks.Held h = locks.lock(names)) {
            Thread.onSpinWait();
          }
        }
      }));
    }
    // Bounded: a deadlock would leave these futures unfinished.
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNameGivenTwiceIsLockedOnceAndReleasedFully() throws Exception {
    StripedLocks locks = new StripedLocks(8);
    // A DeleteObjects request may name one key twice; with a single stripe every name collides.
    StripedLocks single = new StripedLocks(1);
    Future<?> holder = pool.submit(() -> {
      try (StripedLocks.Held h = locks.lock("dup", "dup", "other"); StripedLocks.Held s = single.lock("a", "b", "c", "a")) {
        return null;
      }
    });
    holder.get(10, TimeUnit.SECONDS);
    // Released completely: another thread can take every name at once.
    Future<Boolean> other = pool.submit(() -> {
      try (StripedLocks.Held h = locks.lock("dup", "other"); StripedLocks.Held s = single.lock("a")) {
        return true;
      }
    });
    assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theSameThreadMayLockAgainWhileHolding() throws Exception {
    // A commit may lock a name whose stripe it already holds (one stripe: every name collides).
    StripedLocks single = new StripedLocks(1);
    Future<String> nested = pool.submit(() -> {
      try (StripedLocks.Held upload = single.lock("u123"); StripedLocks.Held object = single.lock("obkt\0k")) {
        return "both held";
      }
    });
    assertThat(nested.get(10, TimeUnit.SECONDS)).isEqualTo("both held");
    Future<String> later = pool.submit(() -> {
      try (StripedLocks.Held h = single.lock("anything")) {
        return "free again";
      }
    });
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("free again");
  }
}
