package dev.canopy.deploy.config;

/**
 * @param virtualHostDomain requests to {@code BUCKET.<domain>} are virtual-host style
 * @param limits per-account limits of the S3 endpoint
 * @param store how long the object store keeps abandoned uploads and replaced bytes
 */
public record S3Settings(String virtualHostDomain, S3Limits limits, S3Store store) {
  public S3Settings {
    virtualHostDomain = virtualHostDomain == null ? "s3.localhost" : virtualHostDomain;
    if (virtualHostDomain.isBlank() || virtualHostDomain.startsWith(".")) {
      throw new ConfigException("s3.virtualHostDomain", "must be a domain name such as s3.localhost");
    }
    limits = limits == null ? new S3Limits(null, null, null, null) : limits;
    store = store == null ? new S3Store(null, null) : store;
  }
}
