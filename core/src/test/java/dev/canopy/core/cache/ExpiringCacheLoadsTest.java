package dev.canopy.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The directory cache when loads fail, are slow, or race a clear: what a storage node answers
 * while a controller is sick or a change lands.
 */
class ExpiringCacheLoadsTest {

  private final ManualTime time = new ManualTime();
  private final ExpiringCache<String> cache = new ExpiringCache<>(time, 100, Duration.ofSeconds(60), Duration.ofMillis(500));
  private final AtomicInteger loads = new AtomicInteger();

  private Optional<String> load(String key) {
    loads.incrementAndGet();
    return Optional.of("value of " + key);
  }

  @Test
  void aFailedLoadIsPassedOnAndNothingIsCachedForIt() {
    assertThatThrownBy(() -> cache.get("a", key -> {
      throw new IllegalStateException("no controller answered");
    })).hasMessage("no controller answered");

    assertThat(cache.size()).isZero();
    assertThat(cache.get("a", this::load)).contains("value of a");
    assertThat(loads).as("the next lookup asks again").hasValue(1);
  }

  @Test
  void aSlowLoadNeverHoldsUpHitsOnOtherKeys() throws Exception {
    cache.get("cached", this::load);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Optional<String>> slow = CompletableFuture.supplyAsync(() -> cache.get("slow", key -> {
      loading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.of("late");
    }));
    try {
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

      // Bounded only so that a regression fails instead of hanging.
      CompletableFuture<Optional<String>> hit = CompletableFuture.supplyAsync(() -> cache.get("cached", this::load));
      assertThat(hit.get(10, TimeUnit.SECONDS)).contains("value of cached");
      assertThat(loads).as("a hit, no load").hasValue(1);
    } finally {
      release.countDown();
    }
    assertThat(slow.get(10, TimeUnit.SECONDS)).contains("late");
    assertThat(cache.get("slow", this::load)).as("an undisturbed load is kept").contains("late");
  }

  @Test
  void aLoadThatOverlapsAClearIsAnsweredButNotKept() {
    assertThat(cache.get("a", key -> {
      cache.clear(); // the change counters moved while the read was on its way
      return Optional.of("from before the change");
    })).contains("from before the change");

    assertThat(cache.get("a", this::load)).contains("value of a");
  }

  @Test
  void anInvalidationOfAnotherKeyAlsoKeepsAnOverlappingLoadOut() {
    // Conservative by design: one generation for all keys, so any change during a load drops it.
    cache.get("b", key -> {
      cache.invalidate("a");
      return Optional.of("b, loaded while a changed");
    });

    assertThat(cache.get("b", this::load)).contains("value of b");
  }

  @Test
  void aMissIsKeptForItsOwnShortTimeThenAskedAgain() {
    ExpiringCache<String> noMisses = new ExpiringCache<>(time, 10, Duration.ofSeconds(60), Duration.ZERO);
    AtomicInteger asked = new AtomicInteger();

    noMisses.get("missing", key -> {
      asked.incrementAndGet();
      return Optional.empty();
    });
    noMisses.get("missing", key -> {
      asked.incrementAndGet();
      return Optional.empty();
    });

    assertThat(asked).as("a zero miss lifetime caches no miss").hasValue(2);
    assertThat(noMisses.size()).isZero();
  }

  @Test
  void aFoundValueIsServedUntilTheLastNanosecondOfItsLifetime() {
    cache.get("a", this::load);
    time.advance(Duration.ofSeconds(60).minusNanos(1));
    cache.get("a", this::load);
    assertThat(loads).hasValue(1);

    time.advance(Duration.ofNanos(1));
    cache.get("a", this::load);
    assertThat(loads).hasValue(2);
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new ExpiringCache<String>(time, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
