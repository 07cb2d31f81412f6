package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.core.limits.TokenBuckets;
import dev.canopy.core.time.Time;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admits an account's requests and uploads within its {@link S3AccountLimits}, on this process.
 * Uploads in flight are counted per account; an account's count leaves the map when it drops to
 * zero, so the map holds only accounts uploading now. Thread safe.
 */
final class S3AccountGate {

  /** Seconds a refused client is told to wait: a token comes back within a second at any rate ≥ 1. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final S3AccountLimits limits;
  private final TokenBuckets requests;
  private final ConcurrentMap<String, Integer> uploadsInFlight = new ConcurrentHashMap<>();

  S3AccountGate(S3AccountLimits limits, Time time) {
    this.limits = limits;
    this.requests = new TokenBuckets(limits.requestsPerSecond(), limits.requestBurst(), time);
  }

  S3AccountLimits limits() {
    return limits;
  }

  /** Takes one of the account's request tokens; SlowDown when none is left. */
  void admitRequest(String accountId) {
    if (!requests.tryTake(accountId)) {
      throw S3Error.SLOW_DOWN.exception();
    }
  }

  /**
   * Counts an upload in flight for the account; SlowDown when it already has as many as allowed.
   * Run the returned release exactly when the upload ends (it ignores later calls).
   */
  Runnable admitUpload(String accountId) {
    boolean[] admitted = {false};
    uploadsInFlight.compute(accountId, (id, count) -> {
      int now = count == null ? 0 : count;
      if (now >= limits.uploadsInFlightPerAccount()) {
        return count;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      throw S3Error.SLOW_DOWN.exception("Please reduce your request rate: too many uploads in progress for this account.");
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        uploadsInFlight.computeIfPresent(accountId, (id, count) -> count <= 1 ? null : count - 1);
      }
    };
  }

  /** TooManyBuckets when the account already owns as many buckets as allowed. */
  void admitBucket(int owned) {
    if (owned >= limits.bucketsPerAccount()) {
      throw S3Error.TOO_MANY_BUCKETS.exception();
    }
  }
}
