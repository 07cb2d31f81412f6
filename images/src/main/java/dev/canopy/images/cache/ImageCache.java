package dev.canopy.images.cache;

import dev.canopy.core.files.DurableFiles;
import dev.canopy.core.time.Time;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A size-bounded, content-addressed cache of image files, fetched from presigned URLs.
 *
 * <p>{@link #fetch} returns {@code <dir>/sha256/<hex>}, downloading it first if needed: the body
 * is streamed into {@code tmp/} while hashed, its size and digest checked, synced, and only then
 * renamed into place, so a bad download is never used. A failed attempt is retried (bounded, with
 * backoff); concurrent fetches of one digest share one download. Before a download the cache makes
 * room by evicting the least recently used objects no holder pins; an object that cannot fit is
 * refused rather than letting the disk fill.
 *
 * <p>Callers that keep using a file (an overlay's backing image, a kernel) {@link #pin} its digest
 * under their id <em>before</em> fetching it, so no concurrent eviction can take it in between,
 * and {@link #unpin} when done. Pins live on disk; recency is the files' mtime. Thread-safe.
 */
public final class ImageCache {

  private static final System.Logger LOG = System.getLogger(ImageCache.class.getName());
  /** Bounds the startup scan; a node caches tens of images, not this many. */
  static final int ENTRIES_MAX = 100_000;
  /** A joiner whose wait ended with the object gone (evicted, or a different size) tries again, this often. */
  private static final int ROUNDS_MAX = 3;

  private final ImageCacheSettings settings;
  private final HttpClient http;
  /** Waits between download attempts and stamps each use of an entry (the LRU order). */
  private final Time time;
  private final Path objects;
  private final Path tmp;
  /** Guards index and pins, and the files they describe. Never held during a download. */
  private final Object lock = new Object();
  private final CacheIndex index;
  private final PinStore pins;
  private final ConcurrentHashMap<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();

  private ImageCache(ImageCacheSettings settings, HttpClient http, Time time,
      CacheIndex index, PinStore pins) {
    this.settings = settings;
    this.http = http;
    this.time = time;
    this.objects = settings.dir().resolve("sha256");
    this.tmp = settings.dir().resolve("tmp");
    this.index = index;
    this.pins = pins;
  }

  /**
   * Opens (creating) the cache: drops downloads a crash interrupted, reads the objects and pins
   * there, and evicts down to {@code maxBytes} if it shrank.
   */
  public static ImageCache open(ImageCacheSettings settings, HttpClient http, Time time)
      throws IOException {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(time, "time");
    Path dir = settings.dir();
    // QEMU (another user) opens the objects, so it must traverse to them; temp files and pins are ours.
    directory(dir, "rwxr-xr-x");
    directory(dir.resolve("sha256"), "rwxr-xr-x");
    directory(dir.resolve("tmp"), "rwx------");
    directory(dir.resolve("pins"), "rwx------");
    clearTemp(dir.resolve("tmp"));
    ImageCache cache = new ImageCache(settings, http, time, scan(dir.resolve("sha256")),
        PinStore.load(dir.resolve("pins")));
    synchronized (cache.lock) {
      cache.evictFor(0);
    }
    return cache;
  }

  /** An HTTP client for {@link #open}: HTTP/1.1 (S3), no redirects (a presigned URL names the object). */
  public static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The cached file with this digest, fetched from {@code url} first if the cache lacks it.
   *
   * @param url a presigned GET URL (http or https); never logged with its query
   * @param sha256 the object's lowercase hex SHA-256
   * @param sizeBytes the object's size; checked before the digest, and on every cache hit
   * @throws ImageFetchException every attempt failed, or the object cannot fit in the cache
   */
  public Path fetch(URI url, String sha256, long sizeBytes) throws ImageFetchException {
    return fetch(List.of(url), sha256, sizeBytes);
  }

  /**
   * {@link #fetch(URI, String, long)} from the first of {@code mirrors} that serves the bytes: each
   * attempt tries every mirror in turn (no wait between them: a storage node that is down refuses
   * at once), and only a round in which every mirror failed waits before the next.
   *
   * @param mirrors presigned GET URLs of the same object on different S3 endpoints, in the order to try
   */
  public Path fetch(List<URI> mirrors, String sha256, long sizeBytes) throws ImageFetchException {
    Sha256.require(sha256);
    if (mirrors.isEmpty()) {
      throw new IllegalArgumentException("no URL to fetch sha256 " + Sha256.shortForm(sha256) + "… from");
    }
    for (URI url : mirrors) {
      Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("image URLs are http or https, not " + url.getScheme());
      }
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must not be negative, was " + sizeBytes);
    }
    if (sizeBytes > settings.maxBytes()) {
      throw new ImageFetchException("sha256 " + Sha256.shortForm(sha256) + "… is " + sizeBytes
          + " bytes, more than the image cache's " + settings.maxBytes());
    }
    for (int round = 0; round < ROUNDS_MAX; round++) {
      Optional<Path> hit = lookup(sha256, sizeBytes);
      if (hit.isPresent()) {
        return hit.get();
      }
      CompletableFuture<Path> mine = new CompletableFuture<>();
      CompletableFuture<Path> running = inFlight.putIfAbsent(sha256, mine);
      if (running == null) {
        return own(mine, mirrors, sha256, sizeBytes);
      }
      awaitOther(running, sha256);
      // The other fetch succeeded; loop to check (and touch) the file as a hit of our own.
    }
    throw new ImageFetchException("sha256 " + Sha256.shortForm(sha256) + "… was fetched but is not " + sizeBytes
        + " bytes (or was evicted at once); pin it before fetching");
  }

  /** Keeps exactly these digests for {@code holderId} (replacing its earlier pins), on disk. */
  public void pin(String holderId, Collection<String> digests) throws IOException {
    synchronized (lock) {
      pins.put(holderId, digests);
    }
  }

  /** Releases everything {@code holderId} pinned; a holder with no pins is fine. */
  public void unpin(String holderId) throws IOException {
    synchronized (lock) {
      pins.remove(holderId);
    }
  }

  public Set<String> pinsOf(String holderId) {
    synchronized (lock) {
      return pins.pinsOf(holderId);
    }
  }

  /** The cached file for this digest, if present; does not count as a use. */
  public Optional<Path> cached(String sha256) {
    synchronized (lock) {
      return index.get(Sha256.require(sha256)).map(e -> objects.resolve(sha256));
    }
  }

  public long usedBytes() {
    synchronized (lock) {
      return index.usedBytes();
    }
  }

  /** Downloads as the one fetch of this digest, completing {@code mine} for those who joined. */
  private Path own(CompletableFuture<Path> mine, List<URI> mirrors, String sha256, long sizeBytes)
      throws ImageFetchException {
    try {
      // Another fetch may have finished between our lookup and taking its place.
      Path path = lookup(sha256, sizeBytes).orElse(null);
      if (path == null) {
        path = download(mirrors, sha256, sizeBytes);
      }
      mine.complete(path);
      return path;
    } catch (Throwable t) {
      mine.completeExceptionally(t);
      throw t;
    } finally {
      inFlight.remove(sha256, mine);
    }
  }

  private static void awaitOther(CompletableFuture<Path> running, String sha256) throws ImageFetchException {
    try {
      // Unbounded here, but the owner's download is bounded: attempts x attempt timeout.
      running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFetchException("interrupted waiting for sha256 " + Sha256.shortForm(sha256) + "…", e);
    } catch (ExecutionException e) {
      throw new ImageFetchException(e.getCause().getMessage(), e.getCause());
    }
  }

  private Path download(List<URI> mirrors, String sha256, long sizeBytes) throws ImageFetchException {
    String what = "sha256 " + Sha256.shortForm(sha256) + "… from " + Download.redacted(mirrors.get(0))
        + (mirrors.size() > 1 ? " (or " + (mirrors.size() - 1) + " mirrors)" : "");
    reserve(what, sizeBytes);
    boolean committed = false;
    try {
      IOException last = null;
      for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
        if (attempt > 1) {
          time.sleep(settings.backoffBefore(attempt));
        }
        for (URI url : mirrors) {
          try {
            Path file = Download.attempt(http, url, sha256, sizeBytes, tmp, settings.requestTimeout(),
                settings.attemptTimeout(sizeBytes));
            Path path = commit(sha256, sizeBytes, file);
            committed = true;
            return path;
          } catch (IOException e) {
            last = e;
            LOG.log(System.Logger.Level.WARNING, "attempt {0} of {1} at sha256 {2}… from {3} failed: {4}",
                attempt, settings.maxAttempts(), Sha256.shortForm(sha256), Download.redacted(url), e.getMessage());
          }
        }
      }
      throw new ImageFetchException("cannot fetch " + what + " after " + settings.maxAttempts() + " attempts: "
          + last.getMessage(), last);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFetchException("interrupted fetching " + what, e);
    } finally {
      if (!committed) {
        synchronized (lock) {
          index.unreserve(sizeBytes);
        }
      }
    }
  }

  /** Evicts to make room for the download, and reserves it, or refuses: the disk never overfills. */
  private void reserve(String what, long sizeBytes) throws ImageFetchException {
    synchronized (lock) {
      if (!evictFor(sizeBytes)) {
        // Unpinned cached objects can always be evicted: what holds the room is the pinned ones and the downloads.
        throw new ImageFetchException("the image cache cannot make room for " + what + " (" + sizeBytes
            + " bytes): of its " + settings.maxBytes() + " bytes, " + index.bytesOf(pins.pinnedDigests())
            + " bytes are pinned and " + index.reservedBytes() + " bytes downloading");
      }
      index.reserve(sizeBytes);
    }
  }

  /** Renames the verified temp file into place and turns its reservation into an entry. */
  private Path commit(String sha256, long sizeBytes, Path verified) throws IOException {
    Path target = objects.resolve(sha256);
    synchronized (lock) {
      try {
        DurableFiles.moveAtomically(verified, target);
      } catch (IOException e) {
        Files.deleteIfExists(verified);
        throw e;
      }
      index.unreserve(sizeBytes);
      index.add(sha256, sizeBytes);
      markUsed(target);
      return target;
    }
  }

  /** The file when cached at the expected size (a cheap check on every hit), marked as used. */
  private Optional<Path> lookup(String sha256, long sizeBytes) {
    synchronized (lock) {
      if (index.get(sha256).isEmpty()) {
        return Optional.empty();
      }
      Path path = objects.resolve(sha256);
      long actual;
      try {
        actual = Files.size(path);
      } catch (IOException e) {
        // Gone from under us (an operator cleaning up): forget it and fetch it again.
        index.remove(sha256);
        return Optional.empty();
      }
      if (actual != sizeBytes) {
        // Treated as a miss, but left in place: a holder may be using it. A verified download
        // replaces it atomically; a failed one leaves it as it was.
        LOG.log(System.Logger.Level.WARNING, "cached sha256 {0}… is {1} bytes, expected {2}; fetching it again",
            Sha256.shortForm(sha256), actual, sizeBytes);
        return Optional.empty();
      }
      index.touch(sha256);
      markUsed(path);
      return Optional.of(path);
    }
  }

  /** Persists recency for the next start; the order in memory is the index's own. */
  private void markUsed(Path path) {
    try {
      Files.setLastModifiedTime(path, FileTime.from(time.instant()));
    } catch (IOException e) {
      // Only the eviction order after a restart depends on it; the object itself is fine.
      LOG.log(System.Logger.Level.DEBUG, "cannot set the mtime of {0}: {1}", path, e.getMessage());
    }
  }

  /** With the lock held: evicts unpinned, idle objects until {@code incomingBytes} fit; false if they cannot. */
  private boolean evictFor(long incomingBytes) {
    Set<String> pinned = pins.pinnedDigests();
    Optional<List<String>> victims =
        index.makeRoom(incomingBytes, settings.maxBytes(), d -> pinned.contains(d) || inFlight.containsKey(d));
    if (victims.isEmpty()) {
      return false;
    }
    for (String victim : victims.get()) {
      try {
        Files.deleteIfExists(objects.resolve(victim));
        LOG.log(System.Logger.Level.INFO, "evicted sha256 {0}…", Sha256.shortForm(victim));
      } catch (IOException e) {
        // The index no longer counts it, so the bound may be exceeded by this file until restart.
        LOG.log(System.Logger.Level.WARNING, "cannot evict sha256 {0}…: {1}", Sha256.shortForm(victim), e.getMessage());
      }
    }
    return true;
  }

  private static void directory(Path dir, String mode) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
  }

  private static void clearTemp(Path tmpDir) throws IOException {
    int seen = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
      for (Path file : files) {
        if (++seen > ENTRIES_MAX) {
          throw new IOException(tmpDir + " holds more than " + ENTRIES_MAX + " files");
        }
        Files.deleteIfExists(file);
      }
    }
  }

  /** The objects on disk, oldest use first; files not named by a digest are not the cache's and stay. */
  private static CacheIndex scan(Path objectsDir) throws IOException {
    record Found(String digest, long sizeBytes, FileTime lastUse) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(objectsDir)) {
      for (Path file : files) {
        if (found.size() >= ENTRIES_MAX) {
          throw new IOException(objectsDir + " holds more than " + ENTRIES_MAX + " objects");
        }
        String name = file.getFileName().toString();
        if (Sha256.isHex(name) && Files.isRegularFile(file)) {
          found.add(new Found(name, Files.size(file), Files.getLastModifiedTime(file)));
        }
      }
    }
    found.sort(Comparator.comparing(Found::lastUse));
    CacheIndex index = new CacheIndex();
    found.forEach(f -> index.add(f.digest(), f.sizeBytes()));
    return index;
  }
}
