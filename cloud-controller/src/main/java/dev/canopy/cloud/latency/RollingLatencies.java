package dev.canopy.cloud.latency;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Histograms per key over the last {@code windowMinutes} whole minutes and the current one: one
 * histogram per key and minute, dropped once older than the window. Time is passed in (epoch ms),
 * so tests move it by hand. Keys are bounded ({@link #KEYS_MAX}): a new key past that is not counted.
 * Thread safe.
 */
public final class RollingLatencies {

  public static final int KEYS_MAX = 10_000;

  private final int windowMinutes;
  /** minute → key → histogram. */
  private final TreeMap<Long, Map<String, LatencyHistogram>> minutes = new TreeMap<>();

  public RollingLatencies(int windowMinutes) {
    if (windowMinutes < 1) {
      throw new IllegalArgumentException("a window of a minute at least");
    }
    this.windowMinutes = windowMinutes;
  }

  public synchronized void record(String key, double millis, long nowMs) {
    long minute = Math.floorDiv(nowMs, 60_000);
    expire(minute);
    Map<String, LatencyHistogram> current = minutes.computeIfAbsent(minute, m -> new HashMap<>());
    if (!current.containsKey(key) && current.size() >= KEYS_MAX) {
      return;
    }
    current.computeIfAbsent(key, k -> new LatencyHistogram()).add(millis);
  }

  /** Every key's histogram over the window that ends at {@code nowMs}. */
  public synchronized Map<String, LatencyHistogram> snapshot(long nowMs) {
    expire(Math.floorDiv(nowMs, 60_000));
    Map<String, LatencyHistogram> merged = new TreeMap<>();
    minutes.values().forEach(byKey -> byKey.forEach((key, histogram) ->
        merged.computeIfAbsent(key, k -> new LatencyHistogram()).addAll(histogram)));
    return merged;
  }

  private void expire(long minute) {
    minutes.headMap(minute - windowMinutes).clear();
  }
}
