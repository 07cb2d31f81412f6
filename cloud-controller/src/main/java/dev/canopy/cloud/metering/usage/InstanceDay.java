package dev.canopy.cloud.metering.usage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.BlockCodec;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.series.Resolution;
import dev.canopy.cloud.metering.series.Rollups;
import dev.canopy.cloud.metering.series.SeriesPoints;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One instance's metered series for one UTC day, as the metering store keeps them: per vNIC and
 * metric, one sealed block per hour (the series codec's bytes). The blocks are also the record of
 * what was counted: a point whose series and second a block already holds is a resend and counts
 * once, so folding the same samples again changes nothing.
 *
 * <p>Past the raw retention a day is rolled up ({@link #rolledUp}): each block then holds the
 * series' per-minute sums, each stamped at its minute's end, so hours, days and their sums stay
 * what they were, and the day no longer takes points.
 *
 * @param accountId the account that owned the instance when it was first metered that day; null
 *     when the controller did not know the instance (its series are kept, never billed)
 * @param rollUpSeconds 0 while the blocks hold the points as sent; 60 once rolled up to minutes
 */
public record InstanceDay(String instanceId, String accountId, LocalDate day, List<Series> series, int rollUpSeconds) {

  public InstanceDay {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(day, "day");
    series = List.copyOf(series);
    if (rollUpSeconds != 0 && rollUpSeconds != (int) Resolution.MINUTE.seconds()) {
      throw new IllegalArgumentException("a day is raw (0) or rolled up to minutes (60), not " + rollUpSeconds);
    }
  }

  /** A day of raw points. */
  public InstanceDay(String instanceId, String accountId, LocalDate day, List<Series> series) {
    this(instanceId, accountId, day, series, 0);
  }

  /**
   * One series' blocks of the day.
   *
   * @param hours each hour's start (epoch second) to its sealed block
   */
  public record Series(String nic, Metric metric, SortedMap<Long, byte[]> hours) {
    public Series {
      Objects.requireNonNull(metric, "metric");
      hours = Collections.unmodifiableSortedMap(new TreeMap<>(hours));
    }
  }

  /**
   * What a merge did.
   *
   * @param trafficOfTouched {@link #trafficOfHour} of each hour in {@code hoursTouched}, summed
   *     from the points the merge already had in hand
   * @param hoursChanged the hours whose blocks gained a point: those a store kept by the hour rewrites
   */
  public record Merge(InstanceDay day, int added, int duplicates, SortedSet<Long> hoursTouched,
      Map<Long, Map<UsageType, Long>> trafficOfTouched, SortedSet<Long> hoursChanged) {}

  public static InstanceDay empty(String instanceId, String accountId, LocalDate day) {
    return new InstanceDay(instanceId, accountId, day, List.of());
  }

  /**
   * The day made of its hour records (of this instance and day, any order), owned by {@code
   * accountId}; a series lacking a block in some hour simply has none there.
   */
  public static InstanceDay ofHours(String instanceId, String accountId, LocalDate day, Collection<InstanceHour> hours) {
    Map<SeriesId, SortedMap<Long, byte[]>> series = new TreeMap<>();
    for (InstanceHour hour : hours) {
      if (!hour.instanceId().equals(instanceId) || !hour.day().equals(day)) {
        throw new IllegalArgumentException("an hour of " + hour.instanceId() + " on " + hour.day() + " in " + instanceId + " on " + day);
      }
      for (InstanceHour.Block b : hour.blocks()) {
        series.computeIfAbsent(new SeriesId(b.nic(), b.metric()), k -> new TreeMap<>()).put(hour.hourStart(), b.bytes());
      }
    }
    List<Series> list = new ArrayList<>(series.size());
    series.forEach((id, blocks) -> list.add(new Series(id.nic(), id.metric(), blocks)));
    return new InstanceDay(instanceId, accountId, day, list);
  }

  /**
   * The day made of its hour records, owned by the first of them that names an owner (they agree
   * but for a holder that died while writing them); empty when there are none.
   */
  public static Optional<InstanceDay> ofHours(String instanceId, LocalDate day, Collection<InstanceHour> hours) {
    if (hours.isEmpty()) {
      return Optional.empty();
    }
    String account = hours.stream().map(InstanceHour::accountId).filter(Objects::nonNull).findFirst().orElse(null);
    return Optional.of(ofHours(instanceId, account, day, hours));
  }

  /** This day's blocks of one hour, as its hour record (no block when no series has one). */
  public InstanceHour hour(long hourStart) {
    List<InstanceHour.Block> blocks = new ArrayList<>(series.size());
    for (Series s : series) {
      byte[] block = s.hours().get(hourStart);
      if (block != null) {
        blocks.add(new InstanceHour.Block(s.nic(), s.metric(), block));
      }
    }
    return new InstanceHour(instanceId, accountId, hourStart, blocks);
  }

  /** This day with every block sealed (compressed where that pays), as a day is kept once it is over. */
  public InstanceDay sealed() {
    return merge(List.of(), Long.MAX_VALUE).day();
  }

  /**
   * This day owned by {@code account}: for a day first metered while the controller did not know
   * the instance's owner, once a later batch names it.
   */
  public InstanceDay withAccount(String account) {
    return new InstanceDay(instanceId, account, day, series, rollUpSeconds);
  }

  /** Every hour (its start second) any series of the day has a block for. */
  public SortedSet<Long> hoursMetered() {
    SortedSet<Long> hours = new TreeSet<>();
    series.forEach(s -> hours.addAll(s.hours().keySet()));
    return hours;
  }

  /** {@link #merge(List, long)} with every block sealed, as if the day were over. */
  public Merge merge(List<MeteredPoint> points) {
    return merge(points, Long.MAX_VALUE);
  }

  /**
   * This day with {@code points} (all of this instance and day) added: each lands in its series'
   * block of its hour; a second that block already holds keeps its first value (a resent batch).
   * An hour that has ended by {@code nowSecond} is sealed (compressed when that pays), the first
   * time its day is merged after it ended; the current hour's block stays open, since the next pass
   * rewrites it anyway.
   */
  public Merge merge(List<MeteredPoint> points, long nowSecond) {
    if (rollUpSeconds != 0) {
      throw new IllegalStateException(instanceId + " on " + day + " is rolled up and takes no more points");
    }
    // Grouped in hash maps, then walked in series and hour order.
    Map<SeriesId, Map<Long, List<MeteredPoint>>> grouped = new HashMap<>();
    SortedSet<Long> touched = new TreeSet<>();
    long epochDay = day.toEpochDay();
    for (MeteredPoint p : points) {
      if (!p.instanceId().equals(instanceId) || p.epochDay() != epochDay) {
        throw new IllegalArgumentException("a point of " + p.instanceId() + " on " + p.day() + " in " + instanceId + " on " + day);
      }
      grouped.computeIfAbsent(new SeriesId(p.nic(), p.metric()), k -> new HashMap<>())
          .computeIfAbsent(p.hourStart(), h -> new ArrayList<>()).add(p);
      touched.add(p.hourStart());
    }
    Map<SeriesId, Map<Long, List<MeteredPoint>>> byHour = new TreeMap<>();
    grouped.forEach((id, hours) -> byHour.put(id, new TreeMap<>(hours)));
    Map<SeriesId, SortedMap<Long, byte[]>> merged = new TreeMap<>();
    for (Series s : series) {
      merged.put(new SeriesId(s.nic(), s.metric()), new TreeMap<>(s.hours()));
    }
    Map<Long, Map<UsageType, Long>> traffic = new TreeMap<>();
    SortedSet<Long> changed = new TreeSet<>();
    Map<SeriesId, Set<Long>> summed = new HashMap<>();
    int added = 0;
    int duplicates = 0;
    for (var entry : byHour.entrySet()) {
      SortedMap<Long, byte[]> hours = merged.computeIfAbsent(entry.getKey(), k -> new TreeMap<>());
      UsageType type = trafficType(entry.getKey().metric());
      for (var hour : entry.getValue().entrySet()) {
        HourPoints merge = HourPoints.merge(hours.get(hour.getKey()), hour.getValue());
        added += merge.gained;
        duplicates += hour.getValue().size() - merge.gained;
        if (merge.gained > 0) {
          hours.put(hour.getKey(), merge.encode(hour.getKey() + 3_600 <= nowSecond));
          changed.add(hour.getKey());
        }
        if (type != null) {
          addTraffic(traffic, hour.getKey(), type, merge.sum());
          summed.computeIfAbsent(entry.getKey(), k -> new HashSet<>()).add(hour.getKey());
        }
      }
    }
    List<Series> next = new ArrayList<>();
    // In series order: the map is sorted by series.
    merged.forEach((id, hours) -> {
      UsageType type = trafficType(id.metric());
      for (var hour : hours.entrySet()) {
        // A touched hour's traffic also counts the series this pass brought nothing for.
        if (type != null && touched.contains(hour.getKey()) && !summed.getOrDefault(id, Set.of()).contains(hour.getKey())) {
          addTraffic(traffic, hour.getKey(), type, sum(hour.getValue()));
        }
        if (hour.getKey() + 3_600 <= nowSecond && !BlockCodec.isSealed(hour.getValue())) {
          hour.setValue(BlockCodec.encode(0, BlockCodec.decode(hour.getValue()).points()));
        }
      }
      next.add(new Series(id.nic(), id.metric(), hours));
    });
    return new Merge(new InstanceDay(instanceId, accountId, day, next, 0), added, duplicates, touched, traffic, changed);
  }

  private static UsageType trafficType(Metric metric) {
    return metric == Metric.RX_BYTES ? UsageType.NETWORK_IN : metric == Metric.TX_BYTES ? UsageType.NETWORK_OUT : null;
  }

  private static void addTraffic(Map<Long, Map<UsageType, Long>> traffic, long hour, UsageType type, long bytes) {
    if (bytes > 0) {
      traffic.computeIfAbsent(hour, h -> new EnumMap<>(UsageType.class)).merge(type, bytes, Math::addExact);
    }
  }

  private static long sum(byte[] block) {
    SeriesPoints points = BlockCodec.decode(block).points();
    long sum = 0;
    for (int i = 0; i < points.size(); i++) {
      sum = Math.addExact(sum, points.value(i));
    }
    return sum;
  }

  /**
   * One hour of one series after a merge: the block's points and the offered ones, by second, in
   * two arrays (no map of boxed longs: this is a pass's hottest loop).
   */
  private static final class HourPoints {
    final long[] seconds;
    final long[] values;
    final int count;
    final int gained;

    private HourPoints(long[] seconds, long[] values, int count, int gained) {
      this.seconds = seconds;
      this.values = values;
      this.count = count;
      this.gained = gained;
    }

    /** The block's points (kept as they are) with the offered ones whose second it lacks, the first offered winning. */
    static HourPoints merge(byte[] block, List<MeteredPoint> offered) {
      SeriesPoints held = block == null ? null : BlockCodec.decode(block).points();
      int heldCount = held == null ? 0 : held.size();
      MeteredPoint[] sorted = offered.toArray(MeteredPoint[]::new);
      // Stable: of two offered points of one second, the first offered stays first.
      Arrays.sort(sorted, Comparator.comparingLong(MeteredPoint::second));
      long[] seconds = new long[heldCount + sorted.length];
      long[] values = new long[seconds.length];
      int n = 0;
      int h = 0;
      int o = 0;
      while (h < heldCount || o < sorted.length) {
        long heldSecond = h < heldCount ? held.second(h) : Long.MAX_VALUE;
        long offeredSecond = o < sorted.length ? sorted[o].second() : Long.MAX_VALUE;
        if (heldSecond <= offeredSecond) {
          seconds[n] = heldSecond;
          values[n++] = held.value(h++);
        } else {
          seconds[n] = offeredSecond;
          values[n++] = sorted[o++].value();
        }
        // Offered points of a second just taken are resends.
        while (o < sorted.length && sorted[o].second() == seconds[n - 1]) {
          o++;
        }
      }
      return new HourPoints(seconds, values, n, n - heldCount);
    }

    long sum() {
      long sum = 0;
      for (int i = 0; i < count; i++) {
        sum = Math.addExact(sum, values[i]);
      }
      return sum;
    }

    /** The block's series id is unused here: the record names each series by vNIC and metric. */
    byte[] encode(boolean sealed) {
      return BlockCodec.encode(0, seconds, values, count, sealed);
    }
  }

  /** Every point of a series in {@code (fromSecond, toSecond]}, by second. */
  public SortedMap<Long, Long> points(Series s, long fromSecond, long toSecond) {
    TreeMap<Long, Long> found = new TreeMap<>();
    forEachPoint(s, fromSecond, toSecond, found::put);
    return found;
  }

  /** A point's second and value, unboxed. */
  @FunctionalInterface
  public interface PointVisitor {
    void visit(long second, long value);
  }

  /**
   * Each point of a series in {@code (fromSecond, toSecond]}, oldest first, straight from the
   * decoded blocks: a month's graph visits over a million points, which maps of boxed longs made
   * twenty times slower.
   */
  public void forEachPoint(Series s, long fromSecond, long toSecond, PointVisitor visitor) {
    for (var hour : s.hours().entrySet()) {
      long start = hour.getKey();
      // An hour's points are stamped in (start, start + 3600].
      if (start + 3_600 > fromSecond && start < toSecond) {
        SeriesPoints points = BlockCodec.decode(hour.getValue()).points();
        for (int i = 0; i < points.size(); i++) {
          long second = points.second(i);
          if (second > fromSecond && second <= toSecond) {
            visitor.visit(second, points.value(i));
          }
        }
      }
    }
  }

  /**
   * The billable traffic of one hour, summed over the instance's vNICs: what it received
   * ({@link UsageType#NETWORK_IN}) and sent ({@link UsageType#NETWORK_OUT}), in bytes. A type with
   * no traffic is absent.
   */
  public Map<UsageType, Long> trafficOfHour(long hourStart) {
    Map<UsageType, Long> totals = new EnumMap<>(UsageType.class);
    for (Series s : series) {
      UsageType type = s.metric() == Metric.RX_BYTES ? UsageType.NETWORK_IN : s.metric() == Metric.TX_BYTES ? UsageType.NETWORK_OUT : null;
      byte[] block = s.hours().get(hourStart);
      if (type != null && block != null) {
        long sum = 0;
        for (long v : decode(block).values()) {
          sum = Math.addExact(sum, v);
        }
        if (sum > 0) {
          totals.merge(type, sum, Math::addExact);
        }
      }
    }
    return totals;
  }

  /**
   * This day with every block replaced by its per-minute sums, each stamped at the end of its
   * minute (a value is what happened in the interval that ended at its second), so every hour and
   * its totals stay the same. Exact: 64-bit sums, overflow throws.
   */
  public InstanceDay rolledUp() {
    if (rollUpSeconds != 0) {
      return this;
    }
    List<Series> rolled = new ArrayList<>();
    for (Series s : series) {
      SortedMap<Long, byte[]> hours = new TreeMap<>();
      s.hours().forEach((hour, block) -> {
        TreeMap<Long, Long> minutes = new TreeMap<>();
        Rollups.sums(BlockCodec.decode(block).points(), Resolution.MINUTE)
            .forEach((start, sum) -> minutes.put(start + Resolution.MINUTE.seconds(), sum));
        hours.put(hour, encode(minutes));
      });
      rolled.add(new Series(s.nic(), s.metric(), hours));
    }
    return new InstanceDay(instanceId, accountId, day, rolled, (int) Resolution.MINUTE.seconds());
  }

  @JsonIgnore
  public boolean isRolledUp() {
    return rollUpSeconds != 0;
  }

  private static TreeMap<Long, Long> decode(byte[] block) {
    TreeMap<Long, Long> values = new TreeMap<>();
    if (block != null) {
      SeriesPoints points = BlockCodec.decode(block).points();
      for (int i = 0; i < points.size(); i++) {
        values.put(points.second(i), points.value(i));
      }
    }
    return values;
  }

  private static byte[] encode(TreeMap<Long, Long> values) {
    long[] seconds = new long[values.size()];
    long[] vs = new long[values.size()];
    int i = 0;
    for (var e : values.entrySet()) {
      seconds[i] = e.getKey();
      vs[i++] = e.getValue();
    }
    // The block's series id is unused here: the record names each series by vNIC and metric.
    return BlockCodec.encode(0, new SeriesPoints(seconds, vs));
  }

  /** A series of an instance: a vNIC's traffic metric, or CPU time (no vNIC); CPU first, then by vNIC. */
  record SeriesId(String nic, Metric metric) implements Comparable<SeriesId> {
    @Override
    public int compareTo(SeriesId o) {
      int byNic = (nic == null ? "" : nic).compareTo(o.nic == null ? "" : o.nic);
      return byNic != 0 ? byNic : metric.compareTo(o.metric);
    }
  }
}
