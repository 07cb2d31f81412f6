package dev.canopy.storage.s3;

/**
 * What one account may do on one S3 endpoint. Counted per storage process: an account that
 * spreads its requests over several storage nodes gets these limits on each.
 *
 * @param bucketsPerAccount buckets an account may own (AWS's default quota is 100), beyond which
 *     CreateBucket is TooManyBuckets; counted cloud-wide through the bucket registry
 * @param uploadsInFlightPerAccount PutObject and UploadPart bodies an account may stream at once;
 *     the next is refused 503 SlowDown before any of its bytes is stored
 * @param requestsPerSecond sustained requests per second per account (a token bucket), beyond
 *     which requests are 503 SlowDown with Retry-After, which the SDKs back off on; the default is
 *     the GET rate AWS sustains per prefix (5,500/s), so a tool that works on AWS is not throttled
 *     here first (a 16-client GET benchmark does 7,000/s on one storage process)
 * @param requestBurst requests an account may make at once after a quiet spell
 */
public record S3AccountLimits(int bucketsPerAccount, int uploadsInFlightPerAccount, int requestsPerSecond, int requestBurst) {

  public static final S3AccountLimits DEFAULTS = new S3AccountLimits(100, 64, 5_500, 11_000);

  public S3AccountLimits {
    if (bucketsPerAccount < 1 || uploadsInFlightPerAccount < 1 || requestsPerSecond < 1 || requestBurst < 1) {
      throw new IllegalArgumentException("every S3 account limit must be positive: " + bucketsPerAccount + ", "
          + uploadsInFlightPerAccount + ", " + requestsPerSecond + ", " + requestBurst);
    }
  }
}
