package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.Time;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size bound: least recently used objects go first, pinned ones never, across restarts too. */
class ImageCacheEvictionTest {

  private static final int SIZE = 100;

  @TempDir Path dir;
  private ObjectServer server;
  private final Map<String, byte[]> bodies = new HashMap<>();
  private final Map<String, URI> urls = new HashMap<>();
  /** Each use a second later, so mtimes order uses across a restart. */
  private Instant now = Instant.parse("2030-01-01T00:00:00Z");
  /** Every use of an entry is a second after the one before: the LRU order is the order of use. */
  private final Time time = new Time() {
    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public Instant instant() {
      return now = now.plusSeconds(1);
    }

    @Override
    public void sleep(Duration duration) {}
  };

  @BeforeEach
  void start() throws IOException {
    server = new ObjectServer();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      byte[] body = ImageCacheFetchTest.bytes(SIZE, name.hashCode());
      bodies.put(name, body);
      urls.put(name, server.serve("/" + name, ObjectServer.body(body)));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ImageCache open(long maxBytes) throws IOException {
    return ImageCache.open(ImageCacheSettings.defaults(dir, maxBytes), ImageCache.httpClient(Duration.ofSeconds(5)),
        time);
  }

  private String sha(String name) {
    return ObjectServer.sha256(bodies.get(name));
  }

  private Path fetch(ImageCache cache, String name) throws IOException {
    return cache.fetch(urls.get(name), sha(name), SIZE);
  }

  private boolean cached(ImageCache cache, String name) {
    return cache.cached(sha(name)).isPresent() && Files.exists(dir.resolve("sha256").resolve(sha(name)));
  }

  @Test
  void theLeastRecentlyUsedObjectIsEvictedFirst() throws Exception {
    ImageCache cache = open(3 * SIZE);
    fetch(cache, "a");
    fetch(cache, "b");
    fetch(cache, "c");
    fetch(cache, "a"); // a hit makes a recent again: b is now the oldest

    fetch(cache, "d");

    assertThat(cached(cache, "b")).isFalse();
    assertThat(cached(cache, "a")).isTrue();
    assertThat(cached(cache, "c")).isTrue();
    assertThat(cached(cache, "d")).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(3 * SIZE);

    fetch(cache, "e");
    assertThat(cached(cache, "c")).isFalse();
  }

  @Test
  void pinnedObjectsSurviveEvictionAndRestart() throws Exception {
    ImageCache cache = open(2 * SIZE);
    // Pinned before fetching, as provisioning does: nothing can evict it in between.
    cache.pin("i-0123456789abcdef0", List.of(sha("a")));
    fetch(cache, "a");
    fetch(cache, "b");
    fetch(cache, "c");
    assertThat(cached(cache, "a")).isTrue();
    assertThat(cached(cache, "b")).isFalse();

    ImageCache reopened = open(2 * SIZE);
    assertThat(reopened.pinsOf("i-0123456789abcdef0")).containsExactly(sha("a"));
    fetch(reopened, "d");
    fetch(reopened, "e");
    assertThat(cached(reopened, "a")).isTrue();
    assertThat(cached(reopened, "c")).isFalse();

    reopened.unpin("i-0123456789abcdef0");
    fetch(reopened, "b");
    assertThat(cached(reopened, "a")).as("unpinned and least recently used").isFalse();
    assertThat(open(2 * SIZE).pinsOf("i-0123456789abcdef0")).isEmpty();
  }

  @Test
  void recencySurvivesARestart() throws Exception {
    ImageCache cache = open(3 * SIZE);
    fetch(cache, "a");
    fetch(cache, "b");
    fetch(cache, "c");
    fetch(cache, "a");

    ImageCache reopened = open(3 * SIZE);
    fetch(reopened, "d");

    assertThat(cached(reopened, "b")).isFalse();
    assertThat(cached(reopened, "a")).isTrue();
  }

  @Test
  void aCacheFullOfPinnedObjectsRefusesANewOneWithoutDownloading() throws Exception {
    ImageCache cache = open(2 * SIZE);
    cache.pin("i-0000000a", List.of(sha("a"), sha("b")));
    fetch(cache, "a");
    fetch(cache, "b");

    assertThatThrownBy(() -> fetch(cache, "c"))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("cannot make room");
    assertThat(server.requests("/c")).isZero();
    assertThat(cached(cache, "a")).isTrue();
    assertThat(cached(cache, "b")).isTrue();
  }

  @Test
  void aSmallerBoundAtStartupEvictsDownToIt() throws Exception {
    ImageCache cache = open(3 * SIZE);
    fetch(cache, "a");
    fetch(cache, "b");
    fetch(cache, "c");

    ImageCache smaller = open(SIZE);

    assertThat(smaller.usedBytes()).isEqualTo(SIZE);
    assertThat(cached(smaller, "c")).isTrue();
    try (Stream<Path> files = Files.list(dir.resolve("sha256"))) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void pinsAreReplacedNotMergedAndHolderIdsCannotNameOtherFiles() throws Exception {
    ImageCache cache = open(3 * SIZE);
    cache.pin("i-0000000a", List.of(sha("a"), sha("b")));
    cache.pin("i-0000000a", List.of(sha("c")));
    assertThat(cache.pinsOf("i-0000000a")).isEqualTo(Set.of(sha("c")));

    for (String bad : List.of("../evil", "a/b", ".hidden", "", "x".repeat(200))) {
      assertThatThrownBy(() -> cache.pin(bad, List.of(sha("a")))).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> cache.pin("i-0000000a", List.of("not-a-digest")))
        .isInstanceOf(IllegalArgumentException.class);
    try (Stream<Path> files = Files.list(dir.resolve("pins"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("i-0000000a");
    }
  }
}
