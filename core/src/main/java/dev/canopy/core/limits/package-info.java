/**
 * Rate limits shared by the APIs: {@link dev.canopy.core.limits.TokenBuckets}, one token bucket per
 * account on an injected monotonic clock, which the EC2 endpoint and the S3 endpoint each keep for
 * their own requests.
 */
package dev.canopy.core.limits;
