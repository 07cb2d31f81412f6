package dev.canopy.deploy.config;

/**
 * @param virtualHostDomain requests to {@code BUCKET.<domain>} are virtual-host style
 */
public record S3Settings(String virtualHostDomain) {
  public S3Settings {
    virtualHostDomain = virtualHostDomain == null ? "s3.localhost" : virtualHostDomain;
    if (virtualHostDomain.isBlank() || virtualHostDomain.startsWith(".")) {
      throw new ConfigException("s3.virtualHostDomain", "must be a domain name such as s3.localhost");
    }
  }
}
