package dev.canopy.storage.s3;

/**
 * How the S3 endpoint listens.
 *
 * @param host the address to bind ("127.0.0.1", "0.0.0.0")
 * @param port 0 for an ephemeral port ({@link S3Server#port()} tells the bound one)
 * @param region the region every signature and LocationConstraint must name
 * @param baseDomain the domain under which virtual-host requests name buckets
 *     ({@code bucket.<baseDomain>}); "" disables virtual-host style
 * @param workerThreads the blocking pool for storage and registry calls
 */
public record S3ServerConfig(String host, int port, String region, String baseDomain, int workerThreads) {

  public static final int DEFAULT_PORT = 8779;

  public S3ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    if (region == null || region.isEmpty()) {
      throw new IllegalArgumentException("region is required");
    }
    baseDomain = baseDomain == null ? "" : baseDomain.toLowerCase(java.util.Locale.ROOT);
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads " + workerThreads);
    }
  }

  public static S3ServerConfig of(String host, int port, String region, String baseDomain) {
    return new S3ServerConfig(host, port, region, baseDomain, 16);
  }
}
