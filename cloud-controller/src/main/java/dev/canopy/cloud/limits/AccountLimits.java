package dev.canopy.cloud.limits;

/**
 * The limits every account has (one set for the whole cloud; per-account overrides are not
 * supported). All positive.
 *
 * @param instances non-terminated instances an account may have
 * @param vcpus vCPUs of those instances, summed
 * @param keyPairs key pairs an account may have
 * @param securityGroups security groups an account may have, its default group included
 * @param requestsPerSecond EC2 requests an account may make per second, sustained (the refill rate)
 * @param requestBurst EC2 requests an account may make at once after a quiet spell (the bucket's size)
 */
public record AccountLimits(int instances, int vcpus, int keyPairs, int securityGroups, int requestsPerSecond, int requestBurst) {

  public AccountLimits {
    positive("instances", instances);
    positive("vcpus", vcpus);
    positive("keyPairs", keyPairs);
    positive("securityGroups", securityGroups);
    positive("requestsPerSecond", requestsPerSecond);
    positive("requestBurst", requestBurst);
  }

  /** Canopy's defaults: AWS's defaults for a new account where AWS has one (5,000 key pairs, 2,500 groups). */
  public static AccountLimits defaults() {
    return new AccountLimits(20, 64, 5000, 2500, 50, 100);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
