package dev.canopy.cloud.storeclient;

import java.time.Duration;

/**
 * How {@link RemoteSystemStore} retries a request that never got an answer (connection refused,
 * reset, closed): up to {@code attempts} tries, sleeping {@code initialBackoff} and then twice as
 * long each time, at most {@code maxBackoff}. Bounded on purpose: a grid write blocks its
 * partition thread while it waits.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

  /** 6 tries over about 3 s: rides out a storage restart, fails a write soon after. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(1));

  public RetryPolicy {
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("attempts must be 1 to 100, not " + attempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max <= 1 min");
    }
  }

  /** The sleep before try {@code attempt + 1} (attempt counts from 1). */
  Duration backoffAfter(int attempt) {
    Duration backoff = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
