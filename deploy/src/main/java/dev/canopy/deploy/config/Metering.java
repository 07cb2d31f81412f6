package dev.canopy.deploy.config;

import dev.canopy.cloud.metering.usage.UsageAggregator;
import java.time.Duration;

/**
 * How the lease holder's aggregator keeps metering ({@code metering:}).
 *
 * @param rawRetentionDays how long an instance's 10-second points are kept as sent; older days are
 *     rolled up to per-minute sums (default {@value #RAW_RETENTION_DAYS_DEFAULT})
 * @param monthCloseGraceHours how long after a month ends its usage may still change its rows;
 *     then the month is closed and later usage is billed as corrections (default
 *     {@value #MONTH_CLOSE_GRACE_HOURS_DEFAULT})
 * @param batchesPerPass sample batches the lease holder folds in one pass at most (default
 *     {@value #BATCHES_PER_PASS_DEFAULT}); a pass that folds this many is followed at once by the
 *     next, so this bounds a pass's memory and time, not the fold's rate
 * @param bucketStorageIntervalMinutes how often the lease holder measures what every bucket stores
 *     (default {@value #BUCKET_STORAGE_INTERVAL_MINUTES_DEFAULT}); an hour's byte-hours are the
 *     bytes of its latest measurement
 * @param hostRetentionDays how long the nodes' host metrics (CPU, memory, disks, network every 10 s)
 *     are kept (default {@value #HOST_RETENTION_DAYS_DEFAULT})
 */
public record Metering(Integer rawRetentionDays, Integer monthCloseGraceHours, Integer batchesPerPass,
    Integer bucketStorageIntervalMinutes, Integer hostRetentionDays) {

  public static final int HOST_RETENTION_DAYS_DEFAULT = 7;
  /** Graphs read an hour's record per hour shown: a year is the most a window may need. */
  private static final int HOST_RETENTION_DAYS_MAX = 366;

  public static final int BUCKET_STORAGE_INTERVAL_MINUTES_DEFAULT = 60;
  private static final int BUCKET_STORAGE_INTERVAL_MINUTES_MAX = 60;

  public static final int RAW_RETENTION_DAYS_DEFAULT = 30;
  public static final int MONTH_CLOSE_GRACE_HOURS_DEFAULT = 48;
  public static final int BATCHES_PER_PASS_DEFAULT = 2_000;
  /** A pass holds its batches in memory (a few KiB each) on a controller of 512 MiB heap. */
  private static final int BATCHES_PER_PASS_MAX = 20_000;
  private static final int RAW_RETENTION_DAYS_MAX = 3_660;
  /** A month's grace ends before the next month ends, so a month closes before the one after it. */
  private static final int MONTH_CLOSE_GRACE_HOURS_MAX = 28 * 24;

  public Metering {
    rawRetentionDays = rawRetentionDays == null ? RAW_RETENTION_DAYS_DEFAULT : rawRetentionDays;
    if (rawRetentionDays < 1 || rawRetentionDays > RAW_RETENTION_DAYS_MAX) {
      throw new ConfigException("metering.rawRetentionDays", "must be 1.." + RAW_RETENTION_DAYS_MAX + " days, got " + rawRetentionDays);
    }
    bucketStorageIntervalMinutes = bucketStorageIntervalMinutes == null ? BUCKET_STORAGE_INTERVAL_MINUTES_DEFAULT
        : bucketStorageIntervalMinutes;
    if (bucketStorageIntervalMinutes < 1 || bucketStorageIntervalMinutes > BUCKET_STORAGE_INTERVAL_MINUTES_MAX) {
      throw new ConfigException("metering.bucketStorageIntervalMinutes", "must be 1.." + BUCKET_STORAGE_INTERVAL_MINUTES_MAX
          + " minutes (every hour is measured at least once), got " + bucketStorageIntervalMinutes);
    }
    monthCloseGraceHours = monthCloseGraceHours == null ? MONTH_CLOSE_GRACE_HOURS_DEFAULT : monthCloseGraceHours;
    if (monthCloseGraceHours < 0 || monthCloseGraceHours > MONTH_CLOSE_GRACE_HOURS_MAX) {
      throw new ConfigException("metering.monthCloseGraceHours",
          "must be 0.." + MONTH_CLOSE_GRACE_HOURS_MAX + " hours, got " + monthCloseGraceHours);
    }
    hostRetentionDays = hostRetentionDays == null ? HOST_RETENTION_DAYS_DEFAULT : hostRetentionDays;
    if (hostRetentionDays < 1 || hostRetentionDays > HOST_RETENTION_DAYS_MAX) {
      throw new ConfigException("metering.hostRetentionDays", "must be 1.." + HOST_RETENTION_DAYS_MAX + " days, got " + hostRetentionDays);
    }
    batchesPerPass = batchesPerPass == null ? BATCHES_PER_PASS_DEFAULT : batchesPerPass;
    if (batchesPerPass < 1 || batchesPerPass > BATCHES_PER_PASS_MAX) {
      throw new ConfigException("metering.batchesPerPass", "must be 1.." + BATCHES_PER_PASS_MAX + " batches, got " + batchesPerPass);
    }
  }

  public static Metering defaults() {
    return new Metering(null, null, null, null, null);
  }

  /** How long host metrics are kept. */
  public Duration hostRetention() {
    return Duration.ofDays(hostRetentionDays);
  }

  /** How often every bucket's storage is measured. */
  public Duration bucketStorageInterval() {
    return Duration.ofMinutes(bucketStorageIntervalMinutes);
  }

  /** The aggregator's settings: these two, and its built-in cadence. */
  public UsageAggregator.Settings aggregatorSettings() {
    UsageAggregator.Settings d = UsageAggregator.Settings.DEFAULTS;
    return new UsageAggregator.Settings(Duration.ofHours(monthCloseGraceHours), d.runTimeLookback(), d.runTimeEvery(),
        Duration.ofDays(rawRetentionDays));
  }
}
