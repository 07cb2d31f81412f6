package dev.canopy.cloud.compute;

/**
 * The hook RunInstances calls before it reserves capacity: how many of the requested instances
 * the account's quotas allow (implemented by the limits family). Not called for a client-token
 * replay, which launches nothing.
 */
@FunctionalInterface
public interface LaunchQuota {

  /** No quota: every requested instance is allowed (capacity still decides). */
  LaunchQuota NONE = (accountId, usage, minCount, maxCount, vcpusEach) -> maxCount;

  /**
   * What the account holds now: its instances that are not terminated (stopped ones included,
   * as they keep their place) and their vCPUs summed.
   */
  record Usage(int instances, int vcpus) {}

  /**
   * @return how many to launch, between {@code minCount} and {@code maxCount}
   * @throws dev.canopy.api.error.AwsException InstanceLimitExceeded or VcpuLimitExceeded when
   *     fewer than {@code minCount} are allowed
   */
  int admit(String accountId, Usage usage, int minCount, int maxCount, int vcpusEach);
}
