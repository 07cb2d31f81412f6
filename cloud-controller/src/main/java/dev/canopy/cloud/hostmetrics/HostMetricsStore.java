package dev.canopy.cloud.hostmetrics;

import dev.canopy.cloud.metering.series.CorruptSeriesException;
import dev.canopy.node.protocol.HostSample;
import dev.canopy.storage.local.SystemStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' host metrics on the controllers' durable store (namespace {@value #NAMESPACE}, not
 * fenced: no leader writes them), one {@link HostHour} record per node, UTC hour and receiving
 * controller, key {@code nodeId/hourStartSecond/controllerId}.
 *
 * <p>Why one record per controller: an agent sends its samples to one controller at a time, but
 * after a session moves two controllers may write the same node's hour for a moment, and a
 * read-modify-write of one shared record would then lose one side's points. Each controller only
 * ever writes its own records, so no write can undo another's; a read merges the records of every
 * controller of the cloud. The record of the hour being written is kept in memory, so a sample costs
 * one encode and one put, no read.
 *
 * <p>Retention: when a controller starts writing a node's new hour, it deletes its own record of
 * that node from {@code retention} earlier (and, for the first hour after its start, the
 * {@value #SWEEP_BACK_HOURS} before that too, covering a controller that was down). Records of a
 * node that stopped sending, or of a controller removed from the cloud, stay until then.
 *
 * <p>Samples stamped before the retention or more than {@link #FUTURE_SKEW_MAX} ahead of this
 * controller's clock are refused (not stored), so a wrong agent clock cannot scatter records.
 * Blocking (store calls): never call on an event loop.
 */
public final class HostMetricsStore {

  public static final String NAMESPACE = "host-metrics";
  /** Series one node may have in one hour: 9 host figures and 4 per disk and interface, 64 of each. */
  public static final int SERIES_PER_HOUR_MAX = 1_024;
  static final Duration FUTURE_SKEW_MAX = Duration.ofMinutes(5);
  static final int SWEEP_BACK_HOURS = 48;

  private static final Logger LOG = LoggerFactory.getLogger(HostMetricsStore.class);

  private final SystemStore store;
  private final String writer;
  private final Supplier<Collection<String>> writers;
  private final InstantSource clock;
  private final long retentionSeconds;
  /** Per node: the hour this controller writes now, as stored. */
  private final Map<String, HostHour> open = new ConcurrentHashMap<>();
  /** Per node: the newest hour whose expired record this controller deleted. */
  private final Map<String, Long> sweptThrough = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param writer this controller's id
   * @param writers every controller's id (this one's included), whose records a read merges
   */
  public HostMetricsStore(SystemStore store, String writer, Supplier<Collection<String>> writers, InstantSource clock,
      Duration retention) {
    if (retention.toSeconds() < HostHour.SECONDS) {
      throw new IllegalArgumentException("host metrics are kept an hour at least");
    }
    this.store = store;
    this.writer = writer;
    this.writers = writers;
    this.clock = clock;
    this.retentionSeconds = retention.toSeconds();
  }

  public Duration retention() {
    return Duration.ofSeconds(retentionSeconds);
  }

  /**
   * Stores a node's samples before returning (one put per hour they touch).
   *
   * @return how many samples were stored; the others fell outside the kept window
   */
  public int ingest(String nodeId, List<HostSample> samples) {
    long now = clock.instant().getEpochSecond();
    long oldest = now - retentionSeconds;
    long newest = now + FUTURE_SKEW_MAX.toSeconds();
    Map<Long, List<HostSample>> byHour = new TreeMap<>();
    int kept = 0;
    for (HostSample sample : samples) {
      if (sample != null && sample.second() > oldest && sample.second() <= newest) {
        byHour.computeIfAbsent(HostHour.hourOf(sample.second()), h -> new java.util.ArrayList<>()).add(sample);
        kept++;
      }
    }
    synchronized (locks.computeIfAbsent(nodeId, n -> new Object())) {
      for (var entry : byHour.entrySet()) {
        long hour = entry.getKey();
        HostHour record = current(nodeId, hour);
        for (HostSample sample : entry.getValue()) {
          HostSeries.of(sample).forEach((name, value) -> {
            if (record.series().containsKey(name) || record.seriesCount() < SERIES_PER_HOUR_MAX) {
              record.add(name, sample.second(), value);
            }
          });
        }
        store.put(NAMESPACE, key(nodeId, hour, writer), record.encode());
        HostHour openNow = open.get(nodeId);
        if (openNow == null || openNow.hourStart() <= hour) {
          open.put(nodeId, record);
        }
        sweep(nodeId, hour);
      }
    }
    return kept;
  }

  /**
   * A node's points in {@code (fromSecond, toSecond]} of the series {@code wanted} accepts, merged
   * over every controller's records, by series name and second.
   */
  public Map<String, TreeMap<Long, Long>> read(String nodeId, long fromSecond, long toSecond, Predicate<String> wanted) {
    Map<String, TreeMap<Long, Long>> merged = new TreeMap<>();
    for (long hour = HostHour.hourOf(fromSecond + 1); hour <= toSecond; hour += HostHour.SECONDS) {
      HostHour all = new HostHour(hour);
      for (String controller : writers.get()) {
        stored(nodeId, hour, controller).ifPresent(all::addAll);
      }
      all.series().forEach((name, points) -> {
        if (wanted.test(name)) {
          var inRange = points.subMap(fromSecond, false, toSecond, true);
          if (!inRange.isEmpty()) {
            merged.computeIfAbsent(name, n -> new TreeMap<>()).putAll(inRange);
          }
        }
      });
    }
    return merged;
  }

  /** Each series' newest value in the last {@code within} before now, as stored (not scaled). */
  public Map<String, Long> latest(String nodeId, Duration within) {
    long now = clock.instant().getEpochSecond();
    Map<String, Long> latest = new TreeMap<>();
    read(nodeId, now - within.toSeconds(), now + FUTURE_SKEW_MAX.toSeconds(), name -> true)
        .forEach((name, points) -> latest.put(name, points.lastEntry().getValue()));
    return latest;
  }

  private HostHour current(String nodeId, long hour) {
    HostHour cached = open.get(nodeId);
    if (cached != null && cached.hourStart() == hour) {
      return cached;
    }
    return stored(nodeId, hour, writer).orElseGet(() -> new HostHour(hour));
  }

  private Optional<HostHour> stored(String nodeId, long hour, String controller) {
    Optional<byte[]> bytes = store.get(NAMESPACE, key(nodeId, hour, controller));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(HostHour.decode(hour, bytes.get()));
    } catch (CorruptSeriesException e) {
      // Graphs lose that hour; the next write of it (if any) replaces it.
      LOG.warn("host metrics of node {} for hour {} from controller {} are unreadable, skipped: {}", nodeId, hour, controller,
          e.getMessage());
      return Optional.empty();
    }
  }

  private void sweep(String nodeId, long hour) {
    long expired = hour - HostHour.hourOf(retentionSeconds + HostHour.SECONDS - 1) - HostHour.SECONDS;
    Long done = sweptThrough.get(nodeId);
    long from = done == null ? expired - SWEEP_BACK_HOURS * HostHour.SECONDS : done + HostHour.SECONDS;
    for (long h = Math.max(from, expired - SWEEP_BACK_HOURS * HostHour.SECONDS); h <= expired; h += HostHour.SECONDS) {
      store.delete(NAMESPACE, key(nodeId, h, writer));
    }
    if (done == null || expired > done) {
      sweptThrough.put(nodeId, expired);
    }
  }

  static String key(String nodeId, long hourStart, String controller) {
    return nodeId + "/" + hourStart + "/" + controller;
  }
}
