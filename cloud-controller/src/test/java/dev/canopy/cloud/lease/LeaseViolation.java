package dev.canopy.cloud.lease;

import java.util.Set;

/** A broken invariant found by the {@link SafetyChecker}; its message says how to replay it. */
final class LeaseViolation extends AssertionError {

  private static final long serialVersionUID = 1L;

  enum Kind {
    TWO_HOLDERS,
    QUORUM_NOT_DISTINCT,
    RENEWAL_WITHOUT_LEASE,
    PROMISE_DECREASED,
    QUARANTINE_BROKEN,
    EPOCH_REGRESSED,
    /** A node's own invariant assertion fired (Acceptor/Proposer {@code checkInvariants}). */
    CORE_INVARIANT,
    RUNAWAY
  }

  private static String names(Set<KnownBug> bugs) {
    return String.join(",", bugs.stream().map(Enum::name).sorted().toList());
  }

  final Kind kind;
  final long seed;
  final long timeNanos;

  LeaseViolation(Kind kind, long seed, long timeNanos, Set<KnownBug> bugs, String detail) {
    super(kind + " at t=" + String.format("%.6f", timeNanos / 1e9) + "s, seed " + seed
        + (bugs.isEmpty() ? "" : " with bugs " + bugs) + ": " + detail
        + " (replay: -Dlease.seed=" + seed + (bugs.isEmpty() ? "" : " -Dlease.bugs=" + names(bugs)) + ")");
    this.kind = kind;
    this.seed = seed;
    this.timeNanos = timeNanos;
  }
}
