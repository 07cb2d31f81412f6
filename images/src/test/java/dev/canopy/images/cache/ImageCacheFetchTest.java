package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.core.time.ManualTime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads: verification, retries, coalescing; every bad body must leave nothing usable behind. */
class ImageCacheFetchTest {

  @TempDir Path dir;
  private ObjectServer server;
  private final ManualTime time = new ManualTime();
  private ImageCache cache;

  private static final byte[] DISK = bytes(4096, 1);
  private static final String DISK_SHA = ObjectServer.sha256(DISK);

  @BeforeEach
  void start() throws IOException {
    server = new ObjectServer();
    cache = open(ImageCacheSettings.defaults(dir, 1 << 20));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ImageCache open(ImageCacheSettings settings) throws IOException {
    return ImageCache.open(settings, ImageCache.httpClient(Duration.ofSeconds(5)), time);
  }

  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path finalPath(String sha) {
    return dir.resolve("sha256").resolve(sha);
  }

  private void assertNothingUsableLeft(String sha) throws IOException {
    assertThat(finalPath(sha)).doesNotExist();
    assertThat(cache.cached(sha)).isEmpty();
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).as("no temp file left behind").isEmpty();
    }
  }

  @Test
  void aGoodBodyIsStoredUnderItsDigestReadableByQemu() throws Exception {
    URI url = server.serve("/disk", ObjectServer.body(DISK));

    Path path = cache.fetch(url, DISK_SHA, DISK.length);

    assertThat(path).isEqualTo(finalPath(DISK_SHA)).hasBinaryContent(DISK);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sha256"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(cache.usedBytes()).isEqualTo(DISK.length);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aHitDoesNotDownloadAgain() throws Exception {
    URI url = server.serve("/disk", ObjectServer.body(DISK));
    cache.fetch(url, DISK_SHA, DISK.length);
    // Another presigned URL for the same bytes: the digest, not the URL, names the object.
    URI other = server.serve("/other-url", ObjectServer.body(DISK));

    assertThat(cache.fetch(other, DISK_SHA, DISK.length)).hasBinaryContent(DISK);

    assertThat(server.requests("/disk")).isEqualTo(1);
    assertThat(server.requests("/other-url")).isZero();
  }

  @Test
  void aCorruptedBodyIsRetriedThenRefusedAndNeverUsed() throws Exception {
    byte[] corrupted = DISK.clone();
    corrupted[100] ^= 1;
    URI url = server.serve("/disk", ObjectServer.body(corrupted));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class)
        .hasMessageContaining("after 3 attempts").hasMessageContaining("digest mismatch")
        .hasMessageNotContaining("secret");

    assertThat(server.requests("/disk")).isEqualTo(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertNothingUsableLeft(DISK_SHA);
    assertThat(cache.usedBytes()).isZero();
  }

  @Test
  void aConnectionClosedBeforeContentLengthIsRetriedThenRefused() throws Exception {
    URI url = server.serve("/disk", ObjectServer.truncated(DISK));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageNotContaining("no complete response");

    assertThat(server.requests("/disk")).isEqualTo(3);
    assertNothingUsableLeft(DISK_SHA);
  }

  @Test
  void aBodyShorterThanTheObjectIsRefused() throws Exception {
    URI url = server.serve("/disk", ObjectServer.shortChunked(DISK));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("truncated");

    assertNothingUsableLeft(DISK_SHA);
  }

  @Test
  void aBodyLongerThanTheObjectIsCutOffAndRefused() throws Exception {
    byte[] longer = java.util.Arrays.copyOf(DISK, DISK.length + 10);
    URI url = server.serve("/disk", ObjectServer.body(longer));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("longer than");

    assertNothingUsableLeft(DISK_SHA);
  }

  @Test
  void aServerErrorIsRetriedAndTheGoodBodyThenUsed() throws Exception {
    URI url = server.serve("/disk", ObjectServer.status(500), ObjectServer.body(DISK));

    assertThat(cache.fetch(url, DISK_SHA, DISK.length)).hasBinaryContent(DISK);

    assertThat(server.requests("/disk")).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aMirrorThatIsDownIsPassedOverAtOnceForTheNext() throws Exception {
    URI down = closedPortUrl("/disk");
    URI url = server.serve("/disk", ObjectServer.body(DISK));

    assertThat(cache.fetch(List.of(down, url), DISK_SHA, DISK.length)).hasBinaryContent(DISK);

    assertThat(server.requests("/disk")).isEqualTo(1);
    assertThat(time.sleeps()).as("no wait between mirrors").isEmpty();
  }

  @Test
  void whenEveryMirrorFailsEachRoundTriesThemAllThenWaits() throws Exception {
    cache = open(ImageCacheSettings.defaults(dir, 1 << 20).withRetries(2, Duration.ofSeconds(1)));
    URI down = closedPortUrl("/disk");
    URI failing = server.serve("/disk", ObjectServer.status(500), ObjectServer.status(503));

    assertThatThrownBy(() -> cache.fetch(List.of(down, failing), DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("after 2 attempts")
        .hasMessageContaining("(or 1 mirrors)").hasMessageNotContaining("X-Amz-Signature");

    assertThat(server.requests("/disk")).isEqualTo(2);
    assertThat(time.sleeps()).hasSize(1);
    assertNothingUsableLeft(DISK_SHA);
  }

  /** A URL on a port nothing listens on: connections are refused, as by a storage node that is down. */
  private static URI closedPortUrl(String path) throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path + "?X-Amz-Signature=secret");
    }
  }

  @Test
  void aCorruptedDownloadThenAGoodOneKeepsOnlyTheGoodBytes() throws Exception {
    byte[] corrupted = DISK.clone();
    corrupted[0] ^= 1;
    URI url = server.serve("/disk", ObjectServer.body(corrupted), ObjectServer.body(DISK));

    assertThat(cache.fetch(url, DISK_SHA, DISK.length)).hasBinaryContent(DISK);
    assertThat(server.requests("/disk")).isEqualTo(2);
  }

  @Test
  void aStalledBodyTimesOut() throws Exception {
    cache = open(ImageCacheSettings.defaults(dir, 1 << 20).withRetries(1, Duration.ZERO)
        .withTimeouts(Duration.ofMillis(300), 1 << 20));
    URI url = server.serve("/disk", server.stalled(DISK));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("no complete response");

    assertNothingUsableLeft(DISK_SHA);
  }

  @Test
  void concurrentFetchesOfOneDigestDownloadOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    URI url = server.serve("/disk", ObjectServer.gated(gate, DISK));
    int fetchers = 6;
    ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < fetchers; i++) {
      Thread t = new Thread(() -> {
        try {
          results.add(cache.fetch(url, DISK_SHA, DISK.length));
        } catch (Exception e) {
          results.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    // Hold the one response until every other fetcher is parked waiting on it.
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requests("/disk") == 1
        && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() == fetchers - 1);
    gate.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }

    assertThat(results).hasSize(fetchers).allMatch(r -> r.equals(finalPath(DISK_SHA)));
    assertThat(server.requests("/disk")).isEqualTo(1);
  }

  @Test
  void joinersShareTheOwnersFailure() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    URI url = server.serve("/disk", ObjectServer.gated(gate, new byte[DISK.length]));
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> {
        try {
          results.add(cache.fetch(url, DISK_SHA, DISK.length));
        } catch (Exception e) {
          results.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requests("/disk") == 1
        && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() == 2);
    gate.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }

    assertThat(results).hasSize(3).allMatch(r -> r instanceof ImageFetchException);
    assertThat(server.requests("/disk")).isEqualTo(3);
    assertNothingUsableLeft(DISK_SHA);
  }

  @Test
  void aCachedFileOfTheWrongSizeIsFetchedAgain() throws Exception {
    URI url = server.serve("/disk", ObjectServer.body(DISK));
    Path path = cache.fetch(url, DISK_SHA, DISK.length);
    Files.write(path, new byte[10]); // damaged on disk behind the cache's back

    assertThat(cache.fetch(url, DISK_SHA, DISK.length)).hasBinaryContent(DISK);
    assertThat(server.requests("/disk")).isEqualTo(2);
    assertThat(cache.usedBytes()).isEqualTo(DISK.length);
  }

  @Test
  void anObjectLargerThanTheCacheIsRefusedWithoutDownloading() throws Exception {
    cache = open(ImageCacheSettings.defaults(dir, DISK.length - 1));
    URI url = server.serve("/disk", ObjectServer.body(DISK));

    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, DISK.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("more than the image cache");
    assertThat(server.requests("/disk")).isZero();
  }

  @Test
  void startupRemovesLeftoverTempFiles() throws Exception {
    Path leftover = Files.writeString(dir.resolve("tmp").resolve("abc-123.part"), "half a download");

    open(ImageCacheSettings.defaults(dir, 1 << 20));

    assertThat(leftover).doesNotExist();
  }

  @Test
  void malformedDigestsUrlsAndSizesAreRefused() {
    URI url = URI.create("http://127.0.0.1:1/x");
    assertThatThrownBy(() -> cache.fetch(url, "../../etc/passwd", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA.toUpperCase(), 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.fetch(URI.create("file:///etc/passwd"), DISK_SHA, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.fetch(url, DISK_SHA, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
