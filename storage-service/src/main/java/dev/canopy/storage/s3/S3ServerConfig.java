package dev.canopy.storage.s3;

import dev.canopy.api.auth.RegionPolicy;

/**
 * How the S3 endpoint listens.
 *
 * @param host the address to bind ("127.0.0.1", "0.0.0.0")
 * @param port 0 for an ephemeral port ({@link S3Server#port()} tells the bound one)
 * @param region the cloud's region: what GetBucketLocation answers and a LocationConstraint must name
 * @param regionPolicy whether a signature may name another region (tools sign for us-east-1)
 * @param baseDomain the domain under which virtual-host requests name buckets
 *     ({@code bucket.<baseDomain>}); "" disables virtual-host style
 * @param workerThreads the blocking pool for storage and registry calls
 */
public record S3ServerConfig(
    String host, int port, String region, RegionPolicy regionPolicy, String baseDomain, int workerThreads) {

  public static final int DEFAULT_PORT = 8779;

  public S3ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    if (region == null || region.isEmpty()) {
      throw new IllegalArgumentException("region is required");
    }
    java.util.Objects.requireNonNull(regionPolicy, "regionPolicy");
    baseDomain = baseDomain == null ? "" : baseDomain.toLowerCase(java.util.Locale.ROOT);
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads " + workerThreads);
    }
  }

  /** Any signing region accepted, as the cloud's default configuration does. */
  public static S3ServerConfig of(String host, int port, String region, String baseDomain) {
    return of(host, port, region, RegionPolicy.ANY, baseDomain);
  }

  public static S3ServerConfig of(String host, int port, String region, RegionPolicy regionPolicy, String baseDomain) {
    return new S3ServerConfig(host, port, region, regionPolicy, baseDomain, 16);
  }
}
