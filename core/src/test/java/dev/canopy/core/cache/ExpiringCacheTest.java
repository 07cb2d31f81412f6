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
  void aBatchLoadsOnlyWhatIsNotCachedInOneCallAndCachesItsMissesToo() {
    java.util.List<java.util.Set<String>> asked = new java.util.ArrayList<>();
    java.util.function.Function<java.util.Set<String>, java.util.Map<String, String>> loadAll = keys -> {
      asked.add(keys);
      java.util.Map<String, String> found = new java.util.HashMap<>();
      keys.stream().filter(key -> !key.startsWith("missing")).forEach(key -> found.put(key, "value of " + key));
      return found;
    };
    assertThat(cache.get("a", this::load)).contains("value of a");

    assertThat(cache.getAll(java.util.List.of("a", "b", "missing"), loadAll))
        .isEqualTo(java.util.Map.of("a", "value of a", "b", "value of b"));
    assertThat(asked).containsExactly(java.util.Set.of("b", "missing"));

    assertThat(cache.getAll(java.util.List.of("a", "b", "missing"), loadAll)).hasSize(2);
    assertThat(asked).as("all three answered from the cache, the miss included").hasSize(1);
    time.advance(Duration.ofMillis(500));
    cache.getAll(java.util.List.of("a", "b", "missing"), loadAll);
    assertThat(asked).as("only the expired miss is asked again").containsExactly(java.util.Set.of("b", "missing"), java.util.Set.of("missing"));
  }

  @Test
  void aBatchLoadThatOverlapsAnInvalidationIsNotKept() {
    cache.getAll(java.util.List.of("a"), keys -> {
      cache.invalidate("a");
      return java.util.Map.of("a", "stale");
    });
    assertThat(cache.get("a", this::load)).contains("value of a");
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
