package dev.canopy.storage.lifecycle;

import java.time.Instant;

/**
 * One lifecycle rule as accepted (the S3 layer checked it against AWS's rules).
 *
 * @param id unique in its configuration, at most 255 characters
 * @param expirationDays expire current versions this many days after Last-Modified; null when none
 * @param expirationDate expire current versions from this midnight UTC on (ISO-8601); null when none
 * @param expiredObjectDeleteMarker as given, or null; true: a delete marker that is its key's only version is removed
 * @param abortAfterDays abort multipart uploads this many days after initiation; null when none
 * @param noncurrentDays NoncurrentVersionExpiration's days: noncurrent versions are removed this many days
 *     after they became noncurrent; null when none
 * @param newerNoncurrentVersions NoncurrentVersionExpiration's count: that many newer noncurrent versions
 *     are kept whatever their age; null when none
 */
public record LifecycleRule(
    String id,
    boolean enabled,
    LifecycleFilter filter,
    Integer expirationDays,
    String expirationDate,
    Boolean expiredObjectDeleteMarker,
    Integer abortAfterDays,
    Integer noncurrentDays,
    Integer newerNoncurrentVersions) {

  /** The expiration date as an instant; null when the rule has none. */
  public Instant expirationInstant() {
    return expirationDate == null ? null : Instant.parse(expirationDate);
  }

  /** Whether the rule removes noncurrent versions (NoncurrentVersionExpiration). */
  public boolean expiresNoncurrent() {
    return noncurrentDays != null || newerNoncurrentVersions != null;
  }

  /** Whether the rule expires current versions (by days or by date). */
  public boolean expiresObjects() {
    return expirationDays != null || expirationDate != null;
  }
}
