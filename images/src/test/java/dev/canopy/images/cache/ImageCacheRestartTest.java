package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.core.time.ManualTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads cut off mid-way (never visible until whole, retried, shared by concurrent fetchers)
 * and what a new cache over the same directory finds there.
 */
class ImageCacheRestartTest {

  private static final byte[] DISK = ImageCacheFetchTest.bytes(64 * 1024, 3);
  private static final String DISK_SHA = ObjectServer.sha256(DISK);

  @TempDir Path dir;
  private ObjectServer server;
  private final ManualTime time = new ManualTime();

  @BeforeEach
  void start() throws IOException {
    server = new ObjectServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ImageCache open() throws IOException {
    return ImageCache.open(ImageCacheSettings.defaults(dir, 1 << 20), ImageCache.httpClient(Duration.ofSeconds(5)),
        time);
  }

  private Path object(String sha) {
    return dir.resolve("sha256").resolve(sha);
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.toList();
    }
  }

  /** Announces every byte, sends the first half, waits for {@code cut}, then drops the connection. */
  private static ObjectServer.Reply cutOffMidway(byte[] bytes, CountDownLatch cut) {
    return ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      try {
        cut.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.close(); // throws: fewer bytes than announced, and the server closes the connection
    };
  }

  private static CompletableFuture<Path> fetchAsync(ImageCache cache, URI url) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return cache.fetch(url, DISK_SHA, DISK.length);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aDownloadCutOffMidwayIsInvisibleUntilARetryCompletesIt() throws Exception {
    ImageCache cache = open();
    CountDownLatch cut = new CountDownLatch(1);
    URI url = server.serve("/disk", cutOffMidway(DISK, cut), ObjectServer.body(DISK));

    CompletableFuture<Path> fetch = fetchAsync(cache, url);
    // Half the bytes have reached the disk, in tmp/ only.
    await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles().size() == 1
        && Files.size(tempFiles().get(0)) == DISK.length / 2);
    assertThat(object(DISK_SHA)).doesNotExist();
    assertThat(cache.cached(DISK_SHA)).isEmpty();
    assertThat(cache.usedBytes()).isZero();

    cut.countDown();
    Path path = fetch.get(10, TimeUnit.SECONDS);

    assertThat(path).isEqualTo(object(DISK_SHA));
    assertThat(Files.readAllBytes(path)).isEqualTo(DISK);
    assertThat(server.requests("/disk")).isEqualTo(2);
    assertThat(tempFiles()).as("the cut-off attempt's temp file is gone").isEmpty();
    assertThat(cache.usedBytes()).isEqualTo(DISK.length);
  }

  @Test
  void fetchersJoiningADownloadThatIsCutOffShareItsRetry() throws Exception {
    ImageCache cache = open();
    CountDownLatch cut = new CountDownLatch(1);
    URI url = server.serve("/disk", cutOffMidway(DISK, cut), ObjectServer.body(DISK));

    List<CompletableFuture<Path>> fetches = new ArrayList<>();
    fetches.add(fetchAsync(cache, url));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requests("/disk") == 1);
    for (int i = 0; i < 3; i++) {
      fetches.add(fetchAsync(cache, url));
    }
    cut.countDown();

    for (CompletableFuture<Path> f : fetches) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(object(DISK_SHA));
    }
    assertThat(server.requests("/disk")).as("the first attempt and its one retry").isEqualTo(2);
    assertThat(Files.readAllBytes(object(DISK_SHA))).isEqualTo(DISK);
  }

  @Test
  void aNewCacheServesWhatWasCachedWithoutDownloading() throws Exception {
    byte[] kernel = ImageCacheFetchTest.bytes(1000, 5);
    String kernelSha = ObjectServer.sha256(kernel);
    URI diskUrl = server.serve("/disk", ObjectServer.body(DISK));
    URI kernelUrl = server.serve("/kernel", ObjectServer.body(kernel));
    ImageCache first = open();
    first.fetch(diskUrl, DISK_SHA, DISK.length);
    first.fetch(kernelUrl, kernelSha, kernel.length);

    ImageCache reopened = open();

    assertThat(reopened.usedBytes()).isEqualTo(DISK.length + kernel.length);
    assertThat(reopened.cached(DISK_SHA)).contains(object(DISK_SHA));
    assertThat(reopened.fetch(diskUrl, DISK_SHA, DISK.length)).isEqualTo(object(DISK_SHA));
    assertThat(reopened.fetch(kernelUrl, kernelSha, kernel.length)).isEqualTo(object(kernelSha));
    assertThat(server.requests("/disk")).isEqualTo(1);
    assertThat(server.requests("/kernel")).isEqualTo(1);
  }

  @Test
  void aNewCacheDropsLeftoverDownloadsButKeepsObjectsAndPins() throws Exception {
    URI url = server.serve("/disk", ObjectServer.body(DISK));
    ImageCache first = open();
    first.pin("i-00000001", List.of(DISK_SHA));
    first.fetch(url, DISK_SHA, DISK.length);
    // What a crash mid-download leaves: a half-written object and a half-written pin file.
    Path partial = Files.write(dir.resolve("tmp").resolve("0123456789ab-42.part"),
        ImageCacheFetchTest.bytes(500, 9));
    Path pinTemp = Files.writeString(dir.resolve("pins").resolve(".tmp-i-00000002"), DISK_SHA.substring(0, 10));

    ImageCache reopened = open();

    assertThat(partial).doesNotExist();
    assertThat(pinTemp).doesNotExist();
    assertThat(tempFiles()).isEmpty();
    assertThat(reopened.usedBytes()).as("a leftover download is not counted").isEqualTo(DISK.length);
    assertThat(reopened.pinsOf("i-00000001")).containsExactly(DISK_SHA);
    assertThat(reopened.pinsOf("i-00000002")).isEmpty();
    assertThat(Files.readAllBytes(object(DISK_SHA))).isEqualTo(DISK);
  }

  @Test
  void filesNotNamedByADigestAreNeitherCountedNorEvicted() throws Exception {
    Files.createDirectories(dir.resolve("sha256"));
    Path stray = Files.writeString(dir.resolve("sha256").resolve("README"), "x".repeat(900));
    Path upper = Files.writeString(dir.resolve("sha256").resolve(DISK_SHA.toUpperCase()), "y".repeat(900));
    URI url = server.serve("/disk", ObjectServer.body(DISK));

    ImageCache cache = ImageCache.open(ImageCacheSettings.defaults(dir, DISK.length),
        ImageCache.httpClient(Duration.ofSeconds(5)), time);
    cache.fetch(url, DISK_SHA, DISK.length);

    assertThat(cache.usedBytes()).isEqualTo(DISK.length);
    assertThat(stray).exists();
    assertThat(upper).exists();
  }

  @Test
  void anObjectDeletedBehindTheCachesBackIsFetchedAgainAndCountedOnce() throws Exception {
    URI url = server.serve("/disk", ObjectServer.body(DISK));
    ImageCache cache = open();
    cache.fetch(url, DISK_SHA, DISK.length);
    Files.delete(object(DISK_SHA));

    Path again = cache.fetch(url, DISK_SHA, DISK.length);

    assertThat(Files.readAllBytes(again)).isEqualTo(DISK);
    assertThat(server.requests("/disk")).isEqualTo(2);
    assertThat(cache.usedBytes()).isEqualTo(DISK.length);
  }
}
