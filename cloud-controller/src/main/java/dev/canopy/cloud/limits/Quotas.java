package dev.canopy.cloud.limits;

import dev.canopy.cloud.compute.LaunchQuota;

/**
 * The quotas of {@link AccountLimits}, as the hooks the families call. Every account has the
 * same limits.
 *
 * <p>RunInstances follows EC2's MinCount rule: as many instances as the quotas allow are
 * launched, up to MaxCount; when fewer than MinCount are allowed, none are, and the instance
 * limit is reported before the vCPU limit.
 */
public final class Quotas implements LaunchQuota {

  private final AccountLimits limits;

  public Quotas(AccountLimits limits) {
    this.limits = limits;
  }

  public AccountLimits limits() {
    return limits;
  }

  public ResourceQuota keyPairs() {
    return new ResourceQuota(limits.keyPairs());
  }

  public ResourceQuota securityGroups() {
    return new ResourceQuota(limits.securityGroups());
  }

  @Override
  public int admit(String accountId, Usage usage, int minCount, int maxCount, int vcpusEach) {
    return allowedLaunches(limits, usage, minCount, maxCount, vcpusEach);
  }

  /**
   * How many instances of {@code vcpusEach} vCPUs an account holding {@code usage} may launch,
   * at most {@code maxCount}.
   *
   * @throws dev.canopy.api.error.AwsException InstanceLimitExceeded, VcpuLimitExceeded when fewer
   *     than {@code minCount} are allowed
   */
  static int allowedLaunches(AccountLimits limits, Usage usage, int minCount, int maxCount, int vcpusEach) {
    if (minCount < 1 || maxCount < minCount || vcpusEach < 0) {
      throw new IllegalArgumentException("counts must satisfy 1 <= min <= max and vCPUs >= 0: " + minCount + ", " + maxCount + ", " + vcpusEach);
    }
    // Clamped at zero: limits lowered below what an account already holds allow nothing, never a negative.
    long byInstances = Math.max(0L, (long) limits.instances() - usage.instances());
    if (byInstances < minCount) {
      throw LimitErrors.instanceLimitExceeded(usage.instances() + minCount, limits.instances());
    }
    long byVcpus = vcpusEach == 0 ? maxCount : Math.max(0L, (long) limits.vcpus() - usage.vcpus()) / vcpusEach;
    if (byVcpus < minCount) {
      throw LimitErrors.vcpuLimitExceeded(limits.vcpus());
    }
    return (int) Math.min(maxCount, Math.min(byInstances, byVcpus));
  }
}
