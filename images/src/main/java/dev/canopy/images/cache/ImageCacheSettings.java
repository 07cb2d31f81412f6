package dev.canopy.images.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link ImageCache} is bounded.
 *
 * @param dir the cache's directory; QEMU must be able to traverse its parents
 * @param maxBytes the most the cached objects may take together (in-flight downloads included)
 * @param requestTimeout the longest wait for a response's headers
 * @param minBytesPerSecond the slowest body transfer tolerated: an attempt may take
 *     {@code requestTimeout + sizeBytes / minBytesPerSecond}, so a stalled body cannot hang it
 * @param maxAttempts downloads of one object per fetch, the first included
 * @param backoffBase the wait after the first failed attempt; it doubles after each further one
 */
public record ImageCacheSettings(
    Path dir,
    long maxBytes,
    Duration requestTimeout,
    long minBytesPerSecond,
    int maxAttempts,
    Duration backoffBase) {

  /** Beyond this, retrying a failing download only delays the error. */
  static final int ATTEMPTS_MAX = 10;

  public ImageCacheSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(backoffBase, "backoffBase");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (minBytesPerSecond <= 0) {
      throw new IllegalArgumentException("minBytesPerSecond must be positive, was " + minBytesPerSecond);
    }
    if (maxAttempts < 1 || maxAttempts > ATTEMPTS_MAX) {
      throw new IllegalArgumentException("maxAttempts must be 1.." + ATTEMPTS_MAX + ", was " + maxAttempts);
    }
    if (backoffBase.isNegative()) {
      throw new IllegalArgumentException("backoffBase must not be negative, was " + backoffBase);
    }
  }

  /** Three attempts, 30 s to the headers, at least 1 MiB/s after that, 1 s then 2 s between attempts. */
  public static ImageCacheSettings defaults(Path dir, long maxBytes) {
    return new ImageCacheSettings(dir, maxBytes, Duration.ofSeconds(30), 1L << 20, 3, Duration.ofSeconds(1));
  }

  public ImageCacheSettings withRetries(int attempts, Duration backoff) {
    return new ImageCacheSettings(dir, maxBytes, requestTimeout, minBytesPerSecond, attempts, backoff);
  }

  public ImageCacheSettings withTimeouts(Duration request, long bytesPerSecondMin) {
    return new ImageCacheSettings(dir, maxBytes, request, bytesPerSecondMin, maxAttempts, backoffBase);
  }

  /** How long one attempt at an object of this size may take in all. */
  Duration attemptTimeout(long sizeBytes) {
    long transferMs = sizeBytes / minBytesPerSecond * 1000 + (sizeBytes % minBytesPerSecond) * 1000 / minBytesPerSecond;
    return requestTimeout.plusMillis(transferMs + 1);
  }

  /** The wait before attempt {@code attempt} (2, 3, ...): the base, doubled for each earlier failure. */
  Duration backoffBefore(int attempt) {
    return backoffBase.multipliedBy(1L << Math.min(attempt - 2, 16));
  }
}
