package dev.canopy.deploy.controller;

import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.instancehours.InstanceHours;
import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.metering.buckets.BucketStorageSource;
import dev.canopy.cloud.metering.buckets.BucketUsagePushes;
import dev.canopy.cloud.metering.buckets.RequestFold;
import dev.canopy.cloud.metering.buckets.StorageMeasurement;
import dev.canopy.cloud.metering.buckets.StorageSampling;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.cloud.metering.usage.RunTimeSource;
import dev.canopy.cloud.metering.usage.StoredUsage;
import dev.canopy.cloud.metering.usage.UsageAggregator;
import dev.canopy.cloud.metering.usage.UsageQueries;
import dev.canopy.storage.local.SystemStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metering on a controller: the usage queries every controller answers, and the aggregator that
 * runs on whichever controller holds the lease. {@link #PASS_EVERY} after its previous pass ended
 * (at once while a backlog remains, see {@link FoldSchedule}) the holder folds the batches stored
 * so far, at most {@code batchesPerPass}, into the metering store (under its fencing epoch) and
 * only then forgets them, so a holder that dies mid-pass leaves them for the next one, which folds
 * them again without counting anything twice. The same pass folds the storage nodes' bucket usage
 * pushes and, when due, measures every bucket's storage ({@code metering.buckets}). A failed pass
 * is logged and retried at the next tick.
 */
public final class MeteringPlane implements AutoCloseable {

  /** How often the holder folds: a sample is in a graph at once (unfolded batches are read too), in the ledger within this. */
  static final Duration PASS_EVERY = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(MeteringPlane.class);

  private final MeteringService batches;
  private final Leadership leadership;
  private final UsageAggregator aggregator;
  private final RequestFold bucketRequests;
  private final StorageSampling bucketStorage;
  private final StoredUsage usage;
  private final InstantSource clock;
  private final MeterRegistry metrics;
  private final Timer passTime;
  private final AtomicLong lagSeconds = new AtomicLong();
  private final AtomicLong unfolded = new AtomicLong();
  /** Batches one pass folds at most, so a backlog (a holder that was away) is worked off in bounded steps. */
  private final int batchesPerPass;
  private FoldSchedule schedule;

  /**
   * @param bucketStorage measures what a bucket stores (a storage node, over the internal port)
   * @param bucketStorageInterval how often every bucket is measured
   */
  MeteringPlane(SystemStore store, Grid grid, MeteringService batches, Leadership leadership, UsageAggregator.Settings settings,
      int batchesPerPass, BucketStorageSource bucketStorage, Duration bucketStorageInterval, InstantSource clock,
      MeterRegistry metrics) {
    this(store, grid, batches, leadership, instanceHours(grid)::hours, settings, batchesPerPass, bucketStorage,
        bucketStorageInterval, clock, metrics);
  }

  MeteringPlane(SystemStore store, Grid grid, MeteringService batches, Leadership leadership, RunTimeSource runTime,
      UsageAggregator.Settings settings, int batchesPerPass, BucketStorageSource bucketStorage, Duration bucketStorageInterval,
      InstantSource clock, MeterRegistry metrics) {
    SystemMeteringStore metered = new SystemMeteringStore(store, leadership::epoch);
    this.batchesPerPass = batchesPerPass;
    this.batches = batches;
    this.leadership = leadership;
    this.aggregator = new UsageAggregator(metered, runTime, settings);
    LedgerWriter ledgers = new LedgerWriter(metered);
    this.bucketRequests = new RequestFold(BucketUsagePushes.onGrid(grid, clock), ledgers);
    GridBucketRegistry registry = new GridBucketRegistry(grid);
    this.bucketStorage = new StorageSampling(grid.map(StorageSampling.MAP, StorageMeasurement.class), registry::all, bucketStorage,
        ledgers, bucketStorageInterval);
    this.usage = new StoredUsage(metered, batches, batches.owners());
    this.clock = clock;
    this.metrics = metrics;
    this.passTime = Timer.builder("canopy.metering.fold.pass").description("one aggregator pass on the lease holder").register(metrics);
    metrics.gauge("canopy.metering.fold.lag.seconds", lagSeconds);
    metrics.gauge("canopy.metering.unfolded.batches", unfolded);
  }

  /** Instance-seconds from the run times the holder's instance writes record; only read here. */
  private static InstanceHours instanceHours(Grid grid) {
    return new InstanceHours(new RunTimes(FencedTable.open(grid, RunTimes.MAP, RunTime.class, () -> {
      throw new IllegalStateException("metering never writes run times");
    })), GridTagStore.onGrid(grid));
  }

  /** Graphs and bills, from any controller. */
  public UsageQueries usage() {
    return usage;
  }

  void start(Vertx vertx) {
    schedule = new FoldSchedule(vertx, PASS_EVERY, this::pass);
    schedule.start();
  }

  /** One pass, on the holder only; true when it folded a full pass, so more batches may be waiting. */
  boolean pass() {
    if (!leadership.isLeader()) {
      return false;
    }
    Instant now = clock.instant();
    List<SampleBatchRecord> folding = batches.unfolded(batchesPerPass);
    unfolded.set(folding.size());
    lagSeconds.set(folding.isEmpty() ? 0 : Math.max(0, Duration.between(folding.get(0).receivedAt(), now).toSeconds()));
    UsageAggregator.Pass pass = passTime.record(() -> aggregator.fold(folding, now));
    batches.forget(folding);
    count("canopy.metering.batches.folded", pass.batches());
    metrics.counter("canopy.metering.points.folded", "outcome", "added").increment(pass.added());
    metrics.counter("canopy.metering.points.folded", "outcome", "duplicate").increment(pass.duplicates());
    count("canopy.metering.samples.rejected", pass.rejected());
    count("canopy.metering.corrections", pass.adjustments());
    count("canopy.metering.points.beyond.retention", pass.beyondRetention());
    count("canopy.metering.days.rolled.up", pass.daysRolledUp());
    count("canopy.metering.days.sealed", pass.daysSealed());
    count("canopy.metering.account.days.written", pass.accountDaysWritten());
    count("canopy.metering.account.days.sealed", pass.accountDaysSealed());
    if (pass.rejected() > 0 || pass.shrunk() > 0 || pass.beyondRetention() > 0) {
      LOG.warn("metering pass: {} malformed samples rejected; {} points older than the raw retention dropped; "
          + "{} units of usage below what a closed month billed (not credited)", pass.rejected(), pass.beyondRetention(), pass.shrunk());
    }
    if (pass.monthsClosed() > 0) {
      LOG.info("metering: {} month(s) closed; later usage of them becomes corrections", pass.monthsClosed());
    }
    passBuckets(now);
    return folding.size() >= batchesPerPass;
  }

  /** Buckets: the storage nodes' request pushes, then storage when a measurement is due. */
  private void passBuckets(Instant now) {
    RequestFold.Pass requests = bucketRequests.fold(now);
    count("canopy.metering.bucket.usage.records.folded", requests.records());
    count("canopy.metering.corrections", requests.written().adjustments());
    if (requests.late() > 0) {
      LOG.warn("metering: {} bucket usage push(es) arrived after their hour's records were folded and removed;"
          + " their rows were raised to at least their counts", requests.late());
    }
    bucketStorage.sampleIfDue(now).ifPresent(storage -> {
      count("canopy.metering.buckets.measured", storage.measured());
      count("canopy.metering.buckets.measure.failures", storage.failed());
      count("canopy.metering.corrections", storage.written().adjustments());
    });
  }

  private void count(String name, long amount) {
    metrics.counter(name).increment(amount);
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
  }
}
