package dev.canopy.deploy.config;

/**
 * @param virtualHostDomain requests to {@code BUCKET.<domain>} are virtual-host style
 * @param limits per-account limits of the S3 endpoint
 */
public record S3Settings(String virtualHostDomain, S3Limits limits) {
  public S3Settings {
    virtualHostDomain = virtualHostDomain == null ? "s3.localhost" : virtualHostDomain;
    if (virtualHostDomain.isBlank() || virtualHostDomain.startsWith(".")) {
      throw new ConfigException("s3.virtualHostDomain", "must be a domain name such as s3.localhost");
    }
    limits = limits == null ? new S3Limits(null, null, null, null) : limits;
  }
}
