package dev.canopy.storage.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A storage node's request and traffic counts per bucket owner, bucket and UTC hour, in memory.
 * Counting is cheap enough for the event loop (a map lookup and {@link LongAdder}s). The counts
 * leave as absolute totals of an hour ({@link #snapshot}), never as deltas, so a push that is
 * sent twice or whose answer got lost is harmless; an hour is forgotten only once a push taken
 * after the hour ended succeeded ({@link #pushed}). Thread-safe.
 */
public final class BucketUsageMeter {

  private static final Duration HOUR = Duration.ofHours(1);
  /**
   * Distinct buckets one hour counts at most, so a node's memory and a push stay bounded; beyond,
   * a new bucket's requests of that hour are not counted (and {@link #overflowed()} says so).
   */
  public static final int BUCKETS_PER_HOUR_MAX = 20_000;

  private record Key(String account, String bucket) {}

  private static final class Counts {
    final LongAdder tier1 = new LongAdder();
    final LongAdder tier2 = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    BucketUsage total(Key key) {
      return new BucketUsage(key.account(), key.bucket(), tier1.sum(), tier2.sum(), bytesOut.sum());
    }
  }

  /** The counts of one hour as taken at {@code takenAt}. */
  public record HourTotals(Instant hour, Instant takenAt, List<BucketUsage> usage) {
    /** Whether the hour was over when these totals were taken: then they are final. */
    public boolean ended() {
      return !takenAt.isBefore(hour.plus(HOUR));
    }
  }

  private final ConcurrentSkipListMap<Instant, Map<Key, Counts>> hours = new ConcurrentSkipListMap<>();
  private final LongAdder overflowed = new LongAdder();

  /** Counts one request of {@code account}'s {@code bucket} at {@code at}; {@code bytesOut} may be 0. */
  public void record(String account, String bucket, boolean tier1, boolean tier2, long bytesOut, Instant at) {
    Map<Key, Counts> hour = hours.computeIfAbsent(at.truncatedTo(ChronoUnit.HOURS), h -> new ConcurrentHashMap<>());
    Key key = new Key(account, bucket);
    Counts counts = hour.get(key);
    if (counts == null) {
      if (hour.size() >= BUCKETS_PER_HOUR_MAX) {
        overflowed.increment();
        return;
      }
      counts = hour.computeIfAbsent(key, k -> new Counts());
    }
    if (tier1) {
      counts.tier1.increment();
    }
    if (tier2) {
      counts.tier2.increment();
    }
    if (bytesOut > 0) {
      counts.bytesOut.add(bytesOut);
    }
  }

  /** Requests not counted because an hour already held {@link #BUCKETS_PER_HOUR_MAX} buckets. */
  public long overflowed() {
    return overflowed.sum();
  }

  /** The absolute totals of every hour still held, oldest first. */
  public List<HourTotals> snapshot(Instant now) {
    List<HourTotals> totals = new ArrayList<>();
    hours.forEach((hour, counts) -> totals.add(new HourTotals(hour, now, totalsOf(counts))));
    return totals;
  }

  private static List<BucketUsage> totalsOf(Map<Key, Counts> counts) {
    List<BucketUsage> usage = new ArrayList<>();
    counts.forEach((key, c) -> usage.add(c.total(key)));
    usage.sort(Comparator.comparing(BucketUsage::account).thenComparing(BucketUsage::bucket));
    return usage;
  }

  /**
   * A push of {@code totals} succeeded. The hour is forgotten when those totals were taken after it
   * ended and nothing was counted into it since (a request that ended on the hour's last instant
   * and was counted just after the snapshot keeps the hour for one more push).
   */
  public void pushed(HourTotals totals) {
    if (!totals.ended()) {
      return;
    }
    Map<Key, Counts> counts = hours.get(totals.hour());
    if (counts != null && totalsOf(counts).equals(totals.usage())) {
      hours.remove(totals.hour(), counts);
    }
  }

  /** Hours held, for tests and figures. */
  public int hoursHeld() {
    return hours.size();
  }
}
