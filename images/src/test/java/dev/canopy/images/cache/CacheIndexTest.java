package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bookkeeping behind the bound: sizes, recency, reservations, and the victims it picks. */
class CacheIndexTest {

  private final CacheIndex index = new CacheIndex();

  @Test
  void replacingAnObjectCountsItOnceAtItsNewSize() {
    index.add("a", 100);
    index.add("a", 40);

    assertThat(index.usedBytes()).isEqualTo(40);
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.get("a")).map(CacheIndex.Entry::sizeBytes).contains(40L);
  }

  @Test
  void removingAnUnknownObjectChangesNothing() {
    index.add("a", 100);
    index.remove("b");
    index.touch("b");

    assertThat(index.usedBytes()).isEqualTo(100);
    assertThat(index.get("b")).isEmpty();
  }

  @Test
  void nothingIsEvictedWhileTheIncomingObjectFits() {
    index.add("a", 100);

    assertThat(index.makeRoom(200, 300, d -> false)).contains(List.of());
    assertThat(index.usedBytes()).isEqualTo(100);
  }

  @Test
  void victimsAreTheLeastRecentlyUsedOldestFirst() {
    index.add("a", 100);
    index.add("b", 100);
    index.add("c", 100);
    index.touch("a");

    assertThat(index.makeRoom(200, 300, d -> false)).contains(List.of("b", "c"));
    assertThat(index.get("a")).isPresent();
    assertThat(index.usedBytes()).isEqualTo(100);
  }

  @Test
  void keptObjectsAreSkippedAndAYoungerOneGoesInstead() {
    index.add("a", 100);
    index.add("b", 100);

    assertThat(index.makeRoom(100, 200, Set.of("a")::contains)).contains(List.of("b"));
    assertThat(index.get("a")).isPresent();
  }

  @Test
  void whenEvictingEverythingAllowedWouldNotMakeRoomNothingIsEvicted() {
    index.add("pinned", 100);
    index.add("free", 50);

    Optional<List<String>> victims = index.makeRoom(200, 250, Set.of("pinned")::contains);

    assertThat(victims).isEmpty();
    assertThat(index.get("free")).isPresent();
    assertThat(index.usedBytes()).isEqualTo(150);
  }

  @Test
  void reservedBytesCountAgainstTheBoundUntilReleased() {
    index.add("a", 100);
    index.reserve(150);

    assertThat(index.makeRoom(100, 300, d -> false)).contains(List.of("a"));
    assertThat(index.makeRoom(200, 300, d -> false)).as("the reservation alone leaves 150").isEmpty();

    index.unreserve(150);
    assertThat(index.makeRoom(200, 300, d -> false)).contains(List.of());
  }

  @Test
  void releasingMoreThanWasReservedIsABug() {
    index.reserve(10);

    assertThatThrownBy(() -> index.unreserve(11)).isInstanceOf(IllegalStateException.class);
  }
}
