package dev.canopy.deploy.config;

/**
 * Per-account limits; every account has the same. All positive; a bad value names its key
 * ({@code limits.instances}, ...).
 *
 * @param instances non-terminated instances per account (RunInstances: InstanceLimitExceeded)
 * @param vcpus their vCPUs summed (RunInstances: VcpuLimitExceeded)
 * @param keyPairs key pairs per account (KeyPairLimitExceeded)
 * @param securityGroups security groups per account, the default group included (SecurityGroupLimitExceeded)
 * @param requestsPerSecond sustained EC2 requests per second per account (RequestLimitExceeded beyond)
 * @param requestBurst EC2 requests an account may make at once after a quiet spell
 */
public record Limits(
    Integer instances, Integer vcpus, Integer keyPairs, Integer securityGroups, Integer requestsPerSecond, Integer requestBurst) {

  public Limits {
    instances = positive("limits.instances", instances, 20);
    vcpus = positive("limits.vcpus", vcpus, 64);
    keyPairs = positive("limits.keyPairs", keyPairs, 5000);
    securityGroups = positive("limits.securityGroups", securityGroups, 2500);
    requestsPerSecond = positive("limits.requestsPerSecond", requestsPerSecond, 50);
    requestBurst = positive("limits.requestBurst", requestBurst, 100);
  }

  public static Limits defaults() {
    return new Limits(null, null, null, null, null, null);
  }

  /** The value, or the fallback when unset; anything below 1 stops start-up naming {@code key}. */
  static int positive(String key, Integer value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw new ConfigException(key, value + " is not a positive whole number");
    }
    return value;
  }
}
