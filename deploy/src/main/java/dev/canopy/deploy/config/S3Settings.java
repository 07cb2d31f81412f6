package dev.canopy.deploy.config;

/**
 * @param virtualHostDomain requests to {@code BUCKET.<domain>} are virtual-host style
 * @param limits per-account limits of the S3 endpoint
 * @param store how long the object store keeps abandoned uploads and replaced bytes
 * @param lifecycleIntervalSeconds how often each storage node applies buckets' lifecycle rules
 *     (default {@value #LIFECYCLE_INTERVAL_SECONDS_DEFAULT}: AWS runs them about once a day, and a
 *     rule is due only at a midnight UTC)
 * @param usageFlushSeconds how often each storage node pushes its buckets' request and traffic
 *     counts to the controllers (default {@value #USAGE_FLUSH_SECONDS_DEFAULT})
 */
public record S3Settings(String virtualHostDomain, S3Limits limits, S3Store store, Integer lifecycleIntervalSeconds,
    Integer usageFlushSeconds) {

  public static final int LIFECYCLE_INTERVAL_SECONDS_DEFAULT = 3600;
  public static final int USAGE_FLUSH_SECONDS_DEFAULT = 10;
  /** A node keeps what it counted in memory until pushed: an hour between pushes is the most that makes sense. */
  private static final int USAGE_FLUSH_SECONDS_MAX = 3600;

  public S3Settings {
    usageFlushSeconds = usageFlushSeconds == null ? USAGE_FLUSH_SECONDS_DEFAULT : usageFlushSeconds;
    if (usageFlushSeconds < 1 || usageFlushSeconds > USAGE_FLUSH_SECONDS_MAX) {
      throw new ConfigException("s3.usageFlushSeconds", "must be 1.." + USAGE_FLUSH_SECONDS_MAX + " seconds, got " + usageFlushSeconds);
    }
    lifecycleIntervalSeconds = lifecycleIntervalSeconds == null ? LIFECYCLE_INTERVAL_SECONDS_DEFAULT : lifecycleIntervalSeconds;
    if (lifecycleIntervalSeconds <= 0) {
      throw new ConfigException("s3.lifecycleIntervalSeconds", "must be a positive number of seconds");
    }
    virtualHostDomain = virtualHostDomain == null ? "s3.localhost" : virtualHostDomain;
    if (virtualHostDomain.isBlank() || virtualHostDomain.startsWith(".")) {
      throw new ConfigException("s3.virtualHostDomain", "must be a domain name such as s3.localhost");
    }
    limits = limits == null ? new S3Limits(null, null, null, null) : limits;
    store = store == null ? new S3Store(null, null) : store;
  }
}
