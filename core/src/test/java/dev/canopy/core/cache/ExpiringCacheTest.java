package dev.canopy.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

  private final ManualTime time = new ManualTime();
  private final ExpiringCache<String> cache = new ExpiringCache<>(time, 3, Duration.ofSeconds(60), Duration.ofMillis(500));
  private final AtomicInteger loads = new AtomicInteger();

  private Optional<String> load(String key) {
    loads.incrementAndGet();
    return key.startsWith("missing") ? Optional.empty() : Optional.of("value of " + key);
  }

  @Test
  void aFoundValueLivesItsTtlAndAMissOnlyBriefly() {
    assertThat(cache.get("a", this::load)).contains("value of a");
    assertThat(cache.get("missing", this::load)).isEmpty();
    time.advance(Duration.ofMillis(499));
    cache.get("a", this::load);
    cache.get("missing", this::load);
    assertThat(loads).hasValue(2);

    time.advance(Duration.ofMillis(1));
    cache.get("missing", this::load);
    assertThat(loads).as("the miss expired").hasValue(3);
    time.advance(Duration.ofSeconds(60));
    cache.get("a", this::load);
    assertThat(loads).as("the found value expired").hasValue(4);
  }

  @Test
  void theLeastRecentlyUsedEntryGoesBeyondTheBound() {
    cache.get("a", this::load);
    cache.get("b", this::load);
    cache.get("c", this::load);
    cache.get("a", this::load);
    cache.get("d", this::load);
    assertThat(cache.size()).isEqualTo(3);
    loads.set(0);
    cache.get("a", this::load);
    cache.get("b", this::load);
    assertThat(loads).as("a was used lately and stayed; b went").hasValue(1);
  }

  @Test
  void aLoadThatOverlapsAnInvalidationIsNotKept() {
    assertThat(cache.get("a", key -> {
      cache.invalidate("a"); // a write to a lands while the read of a is on its way
      return Optional.of("stale");
    })).contains("stale");
    assertThat(cache.get("a", this::load)).contains("value of a");

    cache.clear();
    assertThat(cache.size()).isZero();
  }
}
