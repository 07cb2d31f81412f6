package dev.canopy.core.limits;

import dev.canopy.core.time.Time;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (an account id): each request takes a token; a bucket holds at most
 * {@code capacity} tokens and gains {@code refillPerSecond} a second. Time comes from an injected
 * monotonic clock in nanoseconds, so tests drive it by hand.
 *
 * <p>Memory is bounded. A bucket untouched for as long as an empty one takes to fill is full,
 * which is exactly what an absent bucket means, so such idle buckets are dropped without changing
 * any answer (swept at most once per fill period). If more than {@code maxBuckets} keys are busy
 * at once, the least recently used bucket is dropped too: that key starts again from a full
 * bucket, which errs toward admitting, never toward refusing.
 *
 * <p>Thread safe: one lock, held for a few arithmetic operations per request.
 */
public final class TokenBuckets {

  /** Enough for every account of a private cloud; a bucket is about a hundred bytes. */
  public static final int BUCKETS_MAX_DEFAULT = 65_536;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  private final double refillPerNano;
  private final int capacity;
  private final int maxBuckets;
  private final long idleNanos;
  private final Time time;
  /** Access order: the eldest entry is the least recently used bucket. */
  private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
  private long lastSweepNanos;

  public TokenBuckets(int refillPerSecond, int capacity, int maxBuckets, Time time) {
    if (refillPerSecond < 1 || capacity < 1 || maxBuckets < 1) {
      throw new IllegalArgumentException("rate, capacity and bucket count must be positive: "
          + refillPerSecond + ", " + capacity + ", " + maxBuckets);
    }
    this.refillPerNano = (double) refillPerSecond / NANOS_PER_SECOND;
    this.capacity = capacity;
    this.maxBuckets = maxBuckets;
    // Rounded up, so a bucket counted idle has certainly refilled.
    this.idleNanos = ((long) capacity * NANOS_PER_SECOND + refillPerSecond - 1) / refillPerSecond;
    this.time = time;
    this.lastSweepNanos = time.nanoTime();
  }

  public TokenBuckets(int refillPerSecond, int capacity, Time time) {
    this(refillPerSecond, capacity, BUCKETS_MAX_DEFAULT, time);
  }

  /** Takes a token from the key's bucket; false (and nothing taken) when it is empty. */
  public synchronized boolean tryTake(String key) {
    long now = time.nanoTime();
    if (now - lastSweepNanos >= idleNanos) {
      evictIdle(now);
    }
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = new Bucket(capacity, now);
      buckets.put(key, bucket);
      if (buckets.size() > maxBuckets) {
        evictIdle(now);
        evictEldestWhileOver();
      }
    } else {
      // A clock that steps back (it must not, being monotonic) adds nothing rather than taking away.
      long elapsed = Math.max(0L, now - bucket.lastNanos);
      bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * refillPerNano);
      bucket.lastNanos = Math.max(bucket.lastNanos, now);
    }
    if (bucket.tokens < 1.0) {
      return false;
    }
    bucket.tokens -= 1.0;
    assert bucket.tokens >= 0.0 : "a bucket never goes negative";
    return true;
  }

  /** The tokens the key has now (whole ones); {@code capacity} for a key with no bucket. */
  public synchronized int available(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return capacity;
    }
    long elapsed = Math.max(0L, time.nanoTime() - bucket.lastNanos);
    return (int) Math.floor(Math.min(capacity, bucket.tokens + elapsed * refillPerNano));
  }

  /** Buckets held now (for tests and a gauge). */
  public synchronized int size() {
    return buckets.size();
  }

  /** Drops the buckets that have been idle long enough to be full; returns how many. */
  public synchronized int evictIdle() {
    return evictIdle(time.nanoTime());
  }

  private int evictIdle(long now) {
    lastSweepNanos = now;
    int removed = 0;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastNanos >= idleNanos) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  private void evictEldestWhileOver() {
    Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
    while (buckets.size() > maxBuckets && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
