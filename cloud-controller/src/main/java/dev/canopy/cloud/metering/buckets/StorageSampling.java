package dev.canopy.cloud.metering.buckets;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.storage.s3.BucketRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-hours stored, sampled as AWS samples storage (daily there, every {@code interval} here):
 * at the holder's first pass and then every {@code interval} (at most an hour), every bucket of
 * the registry is measured by a storage node, and the hour of the measurement gets the absolute
 * row {@code STORAGE_BYTE_HOURS = bytes × 1 hour}; a later measurement in the same hour replaces
 * it, so an hour is billed at its latest measurement. Hours between a bucket's previous measurement
 * and this one (no controller held the lease, or none could reach a storage node) are filled with
 * the previous measurement, at most {@link #GAP_FILL_MAX} back. A bucket that could not be measured
 * is tried again at the next pass. Not thread-safe: one pass at a time, on the holder.
 */
public final class StorageSampling {

  private static final Logger LOG = LoggerFactory.getLogger(StorageSampling.class);
  public static final String MAP = "bucket-storage";
  /** How far back a gap is filled with the previous measurement. */
  public static final Duration GAP_FILL_MAX = Duration.ofHours(24);
  private static final Duration HOUR = Duration.ofHours(1);

  /** What a sampling did. */
  public record Pass(int measured, int failed, int rows, LedgerWriter.Written written) {}

  private final Table<StorageMeasurement> measurements;
  private final Supplier<List<BucketRecord>> buckets;
  private final BucketStorageSource storage;
  private final LedgerWriter ledgers;
  private final Duration interval;
  private Instant sampledAt;
  private final Set<String> retry = new HashSet<>();

  /**
   * @param buckets every bucket of the registry
   * @param interval how often every bucket is measured; at most an hour, so every hour has a measurement
   */
  public StorageSampling(Table<StorageMeasurement> measurements, Supplier<List<BucketRecord>> buckets, BucketStorageSource storage,
      LedgerWriter ledgers, Duration interval) {
    if (interval.isNegative() || interval.isZero() || interval.compareTo(HOUR) > 0) {
      throw new IllegalArgumentException("buckets are measured every minute to every hour, not " + interval);
    }
    this.measurements = measurements;
    this.buckets = buckets;
    this.storage = storage;
    this.ledgers = ledgers;
    this.interval = interval;
  }

  /** Measures when due (the first call, every {@code interval}, and at the first pass of each new hour); else does nothing. */
  public Optional<Pass> sampleIfDue(Instant now) {
    boolean due = sampledAt == null || !now.isBefore(sampledAt.plus(interval))
        || !now.truncatedTo(ChronoUnit.HOURS).equals(sampledAt.truncatedTo(ChronoUnit.HOURS)) || !retry.isEmpty();
    if (!due) {
      return Optional.empty();
    }
    boolean all = sampledAt == null || !now.isBefore(sampledAt.plus(interval))
        || !now.truncatedTo(ChronoUnit.HOURS).equals(sampledAt.truncatedTo(ChronoUnit.HOURS));
    Pass pass = sample(now, all);
    if (all) {
      sampledAt = now;
    }
    return Optional.of(pass);
  }

  private Pass sample(Instant now, boolean all) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    List<BucketRecord> registered = buckets.get();
    LedgerWriter.Rows rows = new LedgerWriter.Rows();
    List<StorageMeasurement> taken = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    int rowCount = 0;
    for (BucketRecord bucket : registered) {
      if (!all && !retry.contains(bucket.id())) {
        continue;
      }
      long bytes;
      try {
        bytes = storage.bytes(bucket.id());
      } catch (RuntimeException e) {
        failed.add(bucket.id());
        LOG.debug("bucket {} not measured: {}", bucket.name(), e.toString());
        continue;
      }
      Optional<StorageMeasurement> previous = measurements.get(bucket.id());
      if (previous.isPresent()) {
        Instant gapFrom = previous.get().measuredAt().truncatedTo(ChronoUnit.HOURS).plus(HOUR);
        Instant earliest = hour.minus(GAP_FILL_MAX);
        for (Instant h = gapFrom.isBefore(earliest) ? earliest : gapFrom; h.isBefore(hour); h = h.plus(HOUR)) {
          rows.add(bucket.ownerAccountId(), new AccountMonth.Row(bucket.name(), UsageType.STORAGE_BYTE_HOURS, null, h,
              previous.get().bytes()));
          rowCount++;
        }
      }
      // Bytes for one hour: byte-hours of the hour, at this measurement.
      rows.add(bucket.ownerAccountId(), new AccountMonth.Row(bucket.name(), UsageType.STORAGE_BYTE_HOURS, null, hour, bytes));
      rowCount++;
      taken.add(new StorageMeasurement(bucket.id(), bucket.name(), bucket.ownerAccountId(), now, bytes));
    }
    LedgerWriter.Written written = ledgers.write(rows, now);
    // The measurements after the rows: a holder that dies between fills the same gap again.
    taken.forEach(m -> measurements.put(m.bucketId(), m));
    if (all) {
      Set<String> ids = new HashSet<>();
      registered.forEach(b -> ids.add(b.id()));
      for (StorageMeasurement gone : measurements.values(m -> !ids.contains(m.bucketId()))) {
        measurements.remove(gone.bucketId());
      }
    }
    if (!failed.isEmpty()) {
      LOG.warn("{} bucket(s) could not be measured (no storage node answered); tried again at the next pass", failed.size());
    }
    retry.clear();
    retry.addAll(failed);
    return new Pass(taken.size(), failed.size(), rowCount, written);
  }
}
