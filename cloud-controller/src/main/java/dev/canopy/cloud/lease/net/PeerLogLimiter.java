package dev.canopy.cloud.lease.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per key (a peer and a kind of problem) per interval, and counts what
 * it held back, so a misbehaving peer sending hundreds of bad frames a second costs one line a
 * minute, not a full disk. Safe from any thread.
 */
public final class PeerLogLimiter {

  public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Keys come from certificate ids and remote addresses; past this many, start over. */
  private static final int KEYS_MAX = 1024;

  private final LongSupplier nanos;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public PeerLogLimiter(LongSupplier nanos, long intervalNanos) {
    this.nanos = nanos;
    this.intervalNanos = intervalNanos;
  }

  /**
   * Returns -1 when the line must be held back, otherwise how many lines for this key were held
   * back since the last one that went through (to append to the line).
   */
  public long admit(String key) {
    if (windows.size() >= KEYS_MAX && !windows.containsKey(key)) {
      windows.clear();
    }
    long now = nanos.getAsLong();
    long[] result = {-1};
    windows.compute(key, (k, window) -> {
      if (window == null || now - window.openedNanos >= intervalNanos) {
        result[0] = window == null ? 0 : window.suppressed;
        return new Window(now, 0);
      }
      return new Window(window.openedNanos, window.suppressed + 1);
    });
    return result[0];
  }

  private record Window(long openedNanos, long suppressed) {}
}
