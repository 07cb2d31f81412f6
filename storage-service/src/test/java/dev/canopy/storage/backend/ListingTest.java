package dev.canopy.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ListingTest {

  /** A cursor over a sorted map: the in-memory twin of the RocksDB cursor. */
  static final class MapCursor implements KeyCursor<ObjectSummary> {
    private final NavigableMap<String, ObjectSummary> map;
    private Map.Entry<String, ObjectSummary> current;

    MapCursor(List<String> keys) {
      map = new TreeMap<>(KeyOrder.COMPARATOR);
      keys.forEach(k -> map.put(k, new ObjectSummary(k, k.length(), "e", Instant.EPOCH)));
    }

    @Override
    public boolean seek(String key) {
      current = map.ceilingEntry(key);
      return current != null;
    }

    @Override
    public boolean seekPast(String prefix) {
      Map.Entry<String, ObjectSummary> e = map.ceilingEntry(prefix);
      while (e != null && e.getKey().startsWith(prefix)) {
        e = map.higherEntry(e.getKey());
      }
      current = e;
      return current != null;
    }

    @Override
    public boolean next() {
      current = map.higherEntry(current.getKey());
      return current != null;
    }

    @Override
    public String key() {
      return current.getKey();
    }

    @Override
    public ObjectSummary value() {
      return current.getValue();
    }
  }

  private static final List<String> KEYS =
      List.of("a", "a/1", "a/2", "a/b/3", "b", "c/1", "c/2", "d", "photos/2024/x.jpg", "photos/2025/y.jpg");

  private static ListPage page(String prefix, String delimiter, String after, int max) {
    return Listing.page(new MapCursor(KEYS), new ListQuery(prefix, delimiter, after, max));
  }

  private static List<String> keys(ListPage page) {
    return page.contents().stream().map(ObjectSummary::key).toList();
  }

  @Test
  void flatListingReturnsEverythingInOrder() {
    ListPage page = page("", "", "", 1000);
    assertThat(keys(page)).isEqualTo(KEYS);
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void delimiterRollsUpCommonPrefixes() {
    ListPage page = page("", "/", "", 1000);
    assertThat(keys(page)).containsExactly("a", "b", "d");
    assertThat(page.commonPrefixes()).containsExactly("a/", "c/", "photos/");
  }

  @Test
  void prefixAndDelimiterTogether() {
    ListPage page = page("a/", "/", "", 1000);
    assertThat(keys(page)).containsExactly("a/1", "a/2");
    assertThat(page.commonPrefixes()).containsExactly("a/b/");
    assertThat(page("photos/", "/", "", 10).commonPrefixes()).containsExactly("photos/2024/", "photos/2025/");
  }

  @Test
  void paginationVisitsEveryItemOnceWithPrefixesCounted() {
    for (int max = 1; max <= 4; max++) {
      List<String> seen = new ArrayList<>();
      String after = "";
      for (int round = 0; round < 20; round++) {
        ListPage page = page("", "/", after, max);
        assertThat(page.keyCount()).isLessThanOrEqualTo(max);
        seen.addAll(keys(page));
        seen.addAll(page.commonPrefixes());
        if (!page.truncated()) {
          break;
        }
        after = page.lastItem();
      }
      assertThat(seen).containsExactlyInAnyOrder("a", "b", "d", "a/", "c/", "photos/");
    }
  }

  @Test
  void startAfterInsideACommonPrefixSkipsIt() {
    ListPage page = page("", "/", "a/1", 1000);
    assertThat(keys(page)).containsExactly("b", "d");
    assertThat(page.commonPrefixes()).containsExactly("c/", "photos/");
  }

  @Test
  void exactPageIsNotTruncated() {
    ListPage page = page("c/", "", "", 2);
    assertThat(keys(page)).containsExactly("c/1", "c/2");
    assertThat(page.truncated()).isFalse();
    assertThat(page("c/", "", "", 1).truncated()).isTrue();
  }

  @Test
  void zeroMaxKeysReturnsNothing() {
    ListPage page = page("", "", "", 0);
    assertThat(page.keyCount()).isZero();
    assertThat(page.truncated()).isFalse();
    assertThat(page.lastItem()).isEmpty();
  }

  @Test
  void keyOrderIsCodePointOrder() {
    // U+1F600 (surrogates D83D..) must sort after U+FF01 as its UTF-8 bytes do.
    assertThat(KeyOrder.compare("\uD83D\uDE00", "\uFF01")).isPositive();
    assertThat("\uD83D\uDE00".compareTo("\uFF01")).isNegative();
  }
}
