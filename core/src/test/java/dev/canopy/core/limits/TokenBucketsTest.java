package dev.canopy.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong nanos = new AtomicLong(1_000 * MS);
  /** Moved by hand, and able to step back (a broken clock), which a manual Time refuses to do. */
  private final Time time = new Time() {
    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH;
    }

    @Override
    public void sleep(Duration duration) {}
  };

  private TokenBuckets buckets(int perSecond, int burst, int maxBuckets) {
    return new TokenBuckets(perSecond, burst, maxBuckets, time);
  }

  private static int takeAll(TokenBuckets buckets, String key, int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (buckets.tryTake(key)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void aFreshAccountMayBurstToCapacityThenIsRefused() {
    TokenBuckets buckets = buckets(10, 25, 100);
    assertThat(takeAll(buckets, "a", 40)).isEqualTo(25);
    assertThat(buckets.tryTake("a")).isFalse();
    // Another account has its own bucket.
    assertThat(takeAll(buckets, "b", 25)).isEqualTo(25);
  }

  @Test
  void refillsAtTheRateAndNeverPastCapacity() {
    TokenBuckets buckets = buckets(10, 25, 100);
    takeAll(buckets, "a", 25);
    nanos.addAndGet(99 * MS);
    assertThat(buckets.tryTake("a")).as("0.99 of a token is not a token").isFalse();
    nanos.addAndGet(1 * MS);
    assertThat(buckets.tryTake("a")).isTrue();
    assertThat(buckets.tryTake("a")).isFalse();
    nanos.addAndGet(500 * MS);
    assertThat(takeAll(buckets, "a", 10)).isEqualTo(5);
    nanos.addAndGet(3_600_000 * MS);
    assertThat(buckets.available("a")).isEqualTo(25);
    assertThat(takeAll(buckets, "a", 100)).isEqualTo(25);
  }

  @Test
  void refusalsTakeNothingSoTheBucketNeverGoesNegative() {
    TokenBuckets buckets = buckets(10, 5, 100);
    takeAll(buckets, "a", 5);
    // Hammering an empty bucket must not dig a hole the account then has to climb out of.
    assertThat(takeAll(buckets, "a", 1_000)).isZero();
    assertThat(buckets.available("a")).isZero();
    nanos.addAndGet(100 * MS);
    assertThat(buckets.tryTake("a")).isTrue();
  }

  @Test
  void aClockSteppingBackAddsNothing() {
    TokenBuckets buckets = buckets(10, 5, 100);
    takeAll(buckets, "a", 5);
    nanos.addAndGet(-10_000 * MS);
    assertThat(buckets.tryTake("a")).isFalse();
    nanos.addAndGet(10_000 * MS);
    assertThat(buckets.tryTake("a")).as("no credit for time already counted").isFalse();
    nanos.addAndGet(100 * MS);
    assertThat(buckets.tryTake("a")).isTrue();
  }

  @Test
  void idleBucketsAreEvictedWithoutChangingAnyAnswer() {
    TokenBuckets buckets = buckets(10, 20, 100); // fills in 2 s
    for (int i = 0; i < 50; i++) {
      buckets.tryTake("account-" + i);
    }
    assertThat(buckets.size()).isEqualTo(50);
    nanos.addAndGet(1_999 * MS);
    buckets.tryTake("busy");
    assertThat(buckets.size()).as("not yet full, so not idle").isEqualTo(51);
    nanos.addAndGet(1 * MS);
    buckets.tryTake("busy");
    // The first request a fill period after the last sweep sweeps by itself: only the busy account remains.
    assertThat(buckets.size()).isEqualTo(1);
    assertThat(buckets.evictIdle()).isZero();
    assertThat(buckets.available("account-0")).isEqualTo(20);
    assertThat(takeAll(buckets, "account-0", 30)).isEqualTo(20);
  }

  @Test
  void busyKeysBeyondTheBoundEvictTheLeastRecentlyUsed() {
    TokenBuckets buckets = buckets(1, 3, 4);
    for (int i = 0; i < 10; i++) {
      buckets.tryTake("k" + i);
      assertThat(buckets.size()).isLessThanOrEqualTo(4);
    }
    assertThat(buckets.size()).isEqualTo(4);
    // k9 was used last: it keeps its state (one token gone).
    assertThat(buckets.available("k9")).isEqualTo(2);
    // k0 was dropped: it starts again full, which errs toward admitting.
    assertThat(buckets.available("k0")).isEqualTo(3);
  }

  @Test
  void refusesNonsenseSettings() {
    assertThatThrownBy(() -> buckets(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> buckets(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> buckets(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
