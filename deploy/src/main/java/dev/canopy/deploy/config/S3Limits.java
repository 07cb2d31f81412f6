package dev.canopy.deploy.config;

import dev.canopy.storage.s3.S3AccountLimits;

/**
 * Per-account limits of the S3 endpoint ({@code s3.limits.*}), each storage process counting its
 * own requests; unset keys take {@link S3AccountLimits#DEFAULTS}. All positive.
 */
public record S3Limits(Integer bucketsPerAccount, Integer uploadsInFlightPerAccount, Integer requestsPerSecond,
    Integer requestBurst) {

  public S3Limits {
    S3AccountLimits d = S3AccountLimits.DEFAULTS;
    bucketsPerAccount = Limits.positive("s3.limits.bucketsPerAccount", bucketsPerAccount, d.bucketsPerAccount());
    uploadsInFlightPerAccount = Limits.positive("s3.limits.uploadsInFlightPerAccount", uploadsInFlightPerAccount,
        d.uploadsInFlightPerAccount());
    requestsPerSecond = Limits.positive("s3.limits.requestsPerSecond", requestsPerSecond, d.requestsPerSecond());
    requestBurst = Limits.positive("s3.limits.requestBurst", requestBurst, d.requestBurst());
  }

  public S3AccountLimits accountLimits() {
    return new S3AccountLimits(bucketsPerAccount, uploadsInFlightPerAccount, requestsPerSecond, requestBurst);
  }
}
