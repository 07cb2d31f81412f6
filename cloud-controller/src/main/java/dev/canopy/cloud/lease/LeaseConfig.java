package dev.canopy.cloud.lease;

import dev.canopy.core.cloud.CloudLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One controller's lease settings, validated at construction, and the timing values derived from
 * them (PAXOSLEASE.md, "Timing").
 *
 * <p>{@code controllerIds}, {@code maxLeaseMs} and {@code rho} are cluster-wide and hashed into
 * {@link #configHash()}, which every message carries; {@code leaseDurationMs} and {@code
 * fenceMarginMs} are this controller's own and may differ between controllers (A2 takes the
 * exclusion from the proposed duration, so a longer local lease is still safe).
 *
 * @param controllerIds every controller's node id (0..255), at most 255 of them
 * @param leaseDurationMs D_P: how long this controller holds a lease it wins, on its own clock
 * @param rho the bound on any clock's rate error, in [0, 0.1)
 * @param maxLeaseMs the longest lease any acceptor grants; sets the restart quarantine
 * @param fenceMarginMs how long before its deadline a holder stops using its fencing epoch
 * @param version the membership version this controller set comes from: 0 for the set cluster.json
 *     seeds, one more at each join or leave (docs/paxoslease.md, "Changing the controller set")
 */
public record LeaseConfig(
    Set<Integer> controllerIds, long leaseDurationMs, double rho, long maxLeaseMs, long fenceMarginMs, long version) {

  /** Covers rounding and the time an acceptor takes between reading its clock and replying. */
  static final long EXCLUSION_SLACK_NANOS = 1_000_000L;
  /** An hour: far above any sensible lease, and keeps every nanosecond sum far from overflow. */
  public static final long LEASE_MS_MAX = 3_600_000L;

  /** The controller set cluster.json seeds (membership version 0). */
  public LeaseConfig(Set<Integer> controllerIds, long leaseDurationMs, double rho, long maxLeaseMs, long fenceMarginMs) {
    this(controllerIds, leaseDurationMs, rho, maxLeaseMs, fenceMarginMs, 0);
  }

  public LeaseConfig {
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative: " + version);
    }
    if (controllerIds == null || controllerIds.isEmpty()) {
      throw new IllegalArgumentException("controllerIds must not be empty");
    }
    if (controllerIds.size() > CloudLimits.CONTROLLERS_MAX) {
      throw new IllegalArgumentException(
          "controllerIds has " + controllerIds.size() + " ids; at most " + CloudLimits.CONTROLLERS_MAX);
    }
    for (Integer id : controllerIds) {
      if (id == null || id < 0 || id > Ballot.NODE_ID_MAX) {
        throw new IllegalArgumentException("controllerIds: node id out of range 0..255: " + id);
      }
    }
    controllerIds = Collections.unmodifiableSortedSet(new TreeSet<>(controllerIds));
    if (!(rho >= 0.0 && rho < 0.1)) {
      throw new IllegalArgumentException("rho must be in [0, 0.1): " + rho);
    }
    if (maxLeaseMs < 1 || maxLeaseMs > LEASE_MS_MAX) {
      throw new IllegalArgumentException("maxLeaseMs must be in 1.." + LEASE_MS_MAX + ": " + maxLeaseMs);
    }
    if (leaseDurationMs < 1) {
      throw new IllegalArgumentException("leaseDurationMs must be positive: " + leaseDurationMs);
    }
    if (leaseDurationMs > maxLeaseMs) {
      throw new IllegalArgumentException(
          "leaseDurationMs (" + leaseDurationMs + ") must not exceed maxLeaseMs (" + maxLeaseMs + ")");
    }
    // The holder re-checks "now < deadline - fenceMargin" after minting; renewal starts at D_P/3
    // left, so a margin that large would leave no time in which the epoch may be used.
    if (fenceMarginMs < 0 || fenceMarginMs * 3 >= leaseDurationMs) {
      throw new IllegalArgumentException(
          "fenceMarginMs must be in [0, leaseDurationMs/3): " + fenceMarginMs);
    }
  }

  /** The canonical three-controller setting suggested in PAXOSLEASE.md (D_P 5 s, ρ 1e-3, max 10 s). */
  public static LeaseConfig suggested(Set<Integer> controllerIds) {
    return new LeaseConfig(controllerIds, 5_000, 1e-3, 10_000, 500);
  }

  /** The same cluster-wide settings with this controller's own lease duration and fence margin. */
  public LeaseConfig withLocalDuration(long leaseDurationMs, long fenceMarginMs) {
    return new LeaseConfig(controllerIds, leaseDurationMs, rho, maxLeaseMs, fenceMarginMs, version);
  }

  /** The next membership version's controller set, with every timing setting kept. */
  public LeaseConfig withControllers(Set<Integer> controllerIds, long version) {
    if (version <= this.version) {
      throw new IllegalArgumentException("membership version " + version + " is not after " + this.version);
    }
    return new LeaseConfig(controllerIds, leaseDurationMs, rho, maxLeaseMs, fenceMarginMs, version);
  }

  public SortedSet<Integer> ids() {
    return (SortedSet<Integer>) controllerIds;
  }

  public int quorumSize() {
    return controllerIds.size() / 2 + 1;
  }

  public boolean isGroupOfOne() {
    return controllerIds.size() == 1;
  }

  public long leaseDurationNanos() {
    return Deadlines.msToNanos(leaseDurationMs);
  }

  /**
   * D_A for a proposal of {@code proposedDurationMs}: long enough on the acceptor's clock that the
   * proposer's lease, measured on a clock up to ρ faster, ends first (T2). Rounded up.
   */
  public long exclusionNanos(long proposedDurationMs) {
    double scaled = proposedDurationMs * 1e6 * (1 + rho) / (1 - rho);
    return (long) Math.ceil(scaled) + EXCLUSION_SLACK_NANOS;
  }

  /** The acceptors' exclusion that corresponds to a holder's announced remaining time. */
  public long exclusionForRemainingNanos(long remainingNanos) {
    return (long) Math.ceil(remainingNanos * (1 + rho) / (1 - rho)) + EXCLUSION_SLACK_NANOS;
  }

  /**
   * Q (T3): how long a restarted acceptor ignores lease messages, so that every lease it may have
   * granted before it forgot has ended. Zero for a group of one that was never anything else: its
   * only acceptor restarts with its only proposer, so no lease outlives what it forgot. A group of
   * one left by a leave (version above 0) keeps it: the controller that left may hold a lease this
   * acceptor granted under the earlier set, and a restart during the switch must not cut that short.
   */
  public long quarantineNanos() {
    if (isGroupOfOne() && version == 0) {
      return 0;
    }
    return reconfigurationQuarantineNanos();
  }

  /**
   * How long an acceptor that adopts this controller set grants and proposes nothing: the longest
   * exclusion it may have given under the previous set, so that no lease granted under that set
   * outlives the switch (docs/paxoslease.md, "Changing the controller set"). Never zero, also for a
   * group of one: the previous set had others.
   */
  public long reconfigurationQuarantineNanos() {
    return (long) Math.ceil(maxLeaseMs * 1e6 * (1 + rho) / (1 - rho)) + EXCLUSION_SLACK_NANOS;
  }

  /** A holder starts renewing when this much of its lease is left. */
  public long renewLeadNanos() {
    return leaseDurationNanos() / 3;
  }

  /** Non-successors wait this (plus jitter) after a Release, so the named successor wins alone. */
  public long successorWaitNanos() {
    return leaseDurationNanos() / 10;
  }

  /** An attempt that has not won by now is abandoned; far above a round trip, far below D_P. */
  public long attemptTimeoutNanos() {
    return leaseDurationNanos() / 10;
  }

  /** Upper bound of the random backoff before a retry (and of the jitter added to waits). */
  public long backoffMaxNanos() {
    return leaseDurationNanos() / 20;
  }

  /** Lower bound of the random backoff, so that two duelling proposers drift apart. */
  public long backoffMinNanos() {
    return leaseDurationNanos() / 100;
  }

  /**
   * A stable hash of the cluster-wide fields and the membership version (SHA-256, first 8 bytes). Messages carrying another
   * hash come from a controller configured differently and are dropped.
   */
  public long configHash() {
    StringBuilder canonical = new StringBuilder("canopy-paxoslease-v1;ids=");
    for (int id : ids()) {
      canonical.append(id).append(',');
    }
    canonical.append(";maxLeaseMs=").append(maxLeaseMs);
    if (version > 0) {
      // Absent for version 0, so a cluster seeded before membership changes keeps its hash; a
      // later set with the same ids (join, then leave) still differs, so no old message counts.
      canonical.append(";version=").append(version);
    }
    canonical.append(";rho=").append(Long.toHexString(Double.doubleToLongBits(rho)));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
