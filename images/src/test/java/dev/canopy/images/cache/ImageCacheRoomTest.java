package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.core.time.ManualTime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size bound with objects of different sizes: what is evicted to make room, what is refused
 * when pinned objects and downloads in progress leave too little, and that a failed download gives
 * its room back.
 */
class ImageCacheRoomTest {

  @TempDir Path dir;
  private ObjectServer server;
  private final ManualTime time = new ManualTime();

  /** An object the server can serve: its bytes, digest and URL. */
  private record Image(String path, byte[] bytes, String sha, URI url) {}

  @BeforeEach
  void start() throws IOException {
    server = new ObjectServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ImageCache open(long maxBytes) throws IOException {
    return ImageCache.open(ImageCacheSettings.defaults(dir, maxBytes).withRetries(1, Duration.ZERO),
        ImageCache.httpClient(Duration.ofSeconds(5)), time);
  }

  private static byte[] bytesOf(String name, int size) {
    return ImageCacheFetchTest.bytes(size, name.hashCode());
  }

  private Image image(String name, int size, ObjectServer.Reply... replies) {
    byte[] bytes = bytesOf(name, size);
    URI url = server.serve("/" + name, replies.length == 0 ? new ObjectServer.Reply[] {ObjectServer.body(bytes)}
        : replies);
    return new Image("/" + name, bytes, ObjectServer.sha256(bytes), url);
  }

  private static Path fetch(ImageCache cache, Image image) throws IOException {
    return cache.fetch(image.url(), image.sha(), image.bytes().length);
  }

  private boolean onDisk(Image image) {
    return Files.exists(dir.resolve("sha256").resolve(image.sha()));
  }

  private long filesInCache() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("sha256"))) {
      return files.count();
    }
  }

  @Test
  void onlyAsManyOfTheOldestObjectsAsNeededAreEvicted() throws Exception {
    ImageCache cache = open(300);
    Image a = image("a", 100);
    Image b = image("b", 100);
    Image c = image("c", 100);
    Image big = image("big", 150);
    fetch(cache, a);
    fetch(cache, b);
    fetch(cache, c);

    fetch(cache, big);

    assertThat(onDisk(a)).as("oldest").isFalse();
    assertThat(onDisk(b)).as("second oldest, needed for the rest of the room").isFalse();
    assertThat(onDisk(c)).as("most recent; its room is not needed").isTrue();
    assertThat(onDisk(big)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(250);
    assertThat(filesInCache()).isEqualTo(2);
  }

  @Test
  void aPinnedObjectLargerThanTheFreeRoomEvictsUnpinnedOnesButNeverAPinnedOne() throws Exception {
    ImageCache cache = open(400);
    Image kernel = image("kernel", 100);
    Image old = image("old", 100);
    Image older = image("older", 100);
    Image disk = image("disk", 300);
    cache.pin("i-00000001", List.of(kernel.sha()));
    fetch(cache, kernel);
    fetch(cache, older);
    fetch(cache, old);

    cache.pin("i-00000002", List.of(disk.sha()));
    fetch(cache, disk);

    assertThat(onDisk(kernel)).as("pinned by another instance").isTrue();
    assertThat(onDisk(older)).isFalse();
    assertThat(onDisk(old)).isFalse();
    assertThat(onDisk(disk)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(400);
  }

  @Test
  void aPinnedObjectThatCannotFitBesidePinnedOnesIsRefusedAndEvictsNothing() throws Exception {
    ImageCache cache = open(400);
    Image kernel = image("kernel", 200);
    Image spare = image("spare", 100);
    Image disk = image("disk", 300);
    cache.pin("i-00000001", List.of(kernel.sha()));
    fetch(cache, kernel);
    fetch(cache, spare);

    cache.pin("i-00000002", List.of(disk.sha()));
    assertThatThrownBy(() -> fetch(cache, disk))
        .isInstanceOf(ImageFetchException.class)
        .hasMessageContaining("cannot make room")
        .hasMessageContaining("300 bytes")
        .hasMessageContaining("200 bytes are pinned and 0 bytes downloading");

    assertThat(server.requests(disk.path())).as("refused before downloading").isZero();
    assertThat(onDisk(spare)).as("evicting it would not have made room, so it stays").isTrue();
    assertThat(onDisk(kernel)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(300);
    assertThat(filesInCache()).isEqualTo(2);
  }

  @Test
  void aFailedDownloadGivesItsRoomBack() throws Exception {
    ImageCache cache = open(200);
    byte[] good = ImageCacheFetchTest.bytes(200, 7);
    byte[] corrupted = good.clone();
    corrupted[0] ^= 1;
    URI url = server.serve("/corrupted", ObjectServer.body(corrupted));
    assertThatThrownBy(() -> cache.fetch(url, ObjectServer.sha256(good), good.length))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("digest mismatch");

    Image next = image("next", 200);
    fetch(cache, next);

    assertThat(onDisk(next)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(200);
  }

  @Test
  void aDownloadInProgressHoldsItsRoomAndIsNotEvicted() throws Exception {
    ImageCache cache = open(300);
    CountDownLatch gate = new CountDownLatch(1);
    byte[] slowBytes = bytesOf("slow", 200);
    Image slow = image("slow", 200, ObjectServer.gated(gate, slowBytes));
    Image other = image("other", 200);
    Image small = image("small", 100);

    CompletableFuture<Path> slowFetch = CompletableFuture.supplyAsync(() -> {
      try {
        return fetch(cache, slow);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requests(slow.path()) == 1);

    assertThatThrownBy(() -> fetch(cache, other))
        .isInstanceOf(ImageFetchException.class).hasMessageContaining("cannot make room")
        .as("the operator is told what holds the room").hasMessageContaining("200 bytes downloading");
    assertThat(server.requests(other.path())).isZero();
    fetch(cache, small);

    gate.countDown();
    Path slowPath = slowFetch.get();
    assertThat(Files.readAllBytes(slowPath)).isEqualTo(slowBytes);
    assertThat(onDisk(small)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(300);
  }

  @Test
  void unpinningMakesAnObjectEvictableAgain() throws Exception {
    ImageCache cache = open(200);
    Image kernel = image("kernel", 200);
    Image disk = image("disk", 200);
    cache.pin("i-00000001", List.of(kernel.sha()));
    fetch(cache, kernel);
    assertThatThrownBy(() -> fetch(cache, disk)).isInstanceOf(ImageFetchException.class);

    cache.unpin("i-00000001");
    fetch(cache, disk);

    assertThat(onDisk(kernel)).isFalse();
    assertThat(onDisk(disk)).isTrue();
  }

  @Test
  void anObjectPinnedByTwoHoldersStaysUntilBothLetGo() throws Exception {
    ImageCache cache = open(100);
    Image kernel = image("kernel", 100);
    Image other = image("other", 100);
    cache.pin("i-00000001", List.of(kernel.sha()));
    cache.pin("i-00000002", List.of(kernel.sha()));
    fetch(cache, kernel);

    cache.unpin("i-00000001");
    assertThatThrownBy(() -> fetch(cache, other)).isInstanceOf(ImageFetchException.class);
    assertThat(onDisk(kernel)).isTrue();

    cache.unpin("i-00000002");
    fetch(cache, other);
    assertThat(onDisk(kernel)).isFalse();
  }
}
