package dev.canopy.cloud.eventsapi;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one notice per key (an instance) per interval. Remembers the {@value #KEYS_MAX} most
 * recently admitted keys: a key forgotten is admitted early, once, which only costs a refetch.
 * Thread-safe.
 */
public final class NoticeThrottle {

  static final int KEYS_MAX = 100_000;

  private final Duration interval;
  private final Map<String, Instant> lastAdmitted = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > KEYS_MAX;
    }
  };

  public NoticeThrottle(Duration interval) {
    this.interval = interval;
  }

  /** True (and remembered) when {@code key} had no notice admitted within the interval before {@code now}. */
  public synchronized boolean admit(String key, Instant now) {
    Instant last = lastAdmitted.get(key);
    if (last != null && now.isBefore(last.plus(interval))) {
      return false;
    }
    lastAdmitted.put(key, now);
    return true;
  }
}
