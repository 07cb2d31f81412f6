package dev.canopy.deploy.config;

import dev.canopy.cloud.lease.LeaseTiming;

/**
 * What the controllers' lease timings are derived from ({@code lease:}; docs/paxoslease.md,
 * "Deriving the timings"): the longest one-way delay of a lease message between controllers, the
 * clock-rate error bound ρ, and the failover bound wanted after a holder crashes. The lease
 * duration, the acceptors' maximum lease (and so the restart quarantine) and the fence margin
 * follow from them; a combination that cannot be met safely stops start-up.
 *
 * <p>Every controller of a cloud must use the same values: ρ and the maximum lease are hashed into
 * every lease message, and a controller configured otherwise is not heard.
 *
 * @param maxOneWayDelayMs default {@value LeaseTiming#DEFAULT_DELAY_MS}
 * @param rho default 0.001
 * @param failoverTargetMs default {@value LeaseTiming#DEFAULT_FAILOVER_MS}
 */
public record LeaseSettings(Long maxOneWayDelayMs, Double rho, Long failoverTargetMs) {

  public LeaseSettings {
    maxOneWayDelayMs = maxOneWayDelayMs == null ? LeaseTiming.DEFAULT_DELAY_MS : maxOneWayDelayMs;
    rho = rho == null ? LeaseTiming.DEFAULT_RHO : rho;
    failoverTargetMs = failoverTargetMs == null ? LeaseTiming.DEFAULT_FAILOVER_MS : failoverTargetMs;
    timing(maxOneWayDelayMs, rho, failoverTargetMs);
  }

  public static LeaseSettings defaults() {
    return new LeaseSettings(null, null, null);
  }

  /** The derived timings (validated when this record was made). */
  public LeaseTiming timing() {
    return timing(maxOneWayDelayMs, rho, failoverTargetMs);
  }

  private static LeaseTiming timing(long maxOneWayDelayMs, double rho, long failoverTargetMs) {
    try {
      return new LeaseTiming(maxOneWayDelayMs, rho, failoverTargetMs);
    } catch (IllegalArgumentException e) {
      // LeaseTiming names its own field first; the key is that field under lease:.
      String message = e.getMessage();
      String field = message.substring(0, message.indexOf(' '));
      throw new ConfigException("lease." + field, message);
    }
  }
}
