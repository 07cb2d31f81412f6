package dev.canopy.cloud.lease;

/**
 * A PaxosLease ballot packed into 64 bits: {@code [attempt : 40 | incarnation : 16 | node id : 8]}.
 *
 * <p>The attempt counter dominates the order, so a proposer that has seen a higher ballot only
 * needs to raise its attempt counter to outrank it. The incarnation (bumped once per process
 * start) and the node id make ballots unique without any disk write on the protocol path. Ballots
 * are not ordered across restarts and are therefore not a fencing token.
 *
 * <p>Attempts stay below 2^39 so that the sign bit is never set and plain {@code long} comparison
 * orders ballots.
 */
public final class Ballot {

  /** No ballot: below every real ballot, because real attempts start at 1. */
  public static final long NONE = 0L;

  static final int NODE_BITS = 8;
  static final int INCARNATION_BITS = 16;
  static final int LOW_BITS = NODE_BITS + INCARNATION_BITS;
  /** At one attempt per millisecond this lasts 17 years; reaching it is a bug, not an outage. */
  public static final long ATTEMPT_MAX = (1L << 39) - 1;
  public static final int INCARNATION_MAX = (1 << INCARNATION_BITS) - 1;
  public static final int NODE_ID_MAX = (1 << NODE_BITS) - 1;

  private Ballot() {}

  public static long of(long attempt, int incarnation, int nodeId) {
    if (attempt < 1 || attempt > ATTEMPT_MAX) {
      throw new IllegalArgumentException("attempt out of range: " + attempt);
    }
    if (incarnation < 0 || incarnation > INCARNATION_MAX) {
      throw new IllegalArgumentException("incarnation out of range: " + incarnation);
    }
    if (nodeId < 0 || nodeId > NODE_ID_MAX) {
      throw new IllegalArgumentException("nodeId out of range: " + nodeId);
    }
    return (attempt << LOW_BITS) | ((long) incarnation << NODE_BITS) | nodeId;
  }

  public static long attempt(long ballot) {
    return ballot >>> LOW_BITS;
  }

  public static int incarnation(long ballot) {
    return (int) ((ballot >>> NODE_BITS) & INCARNATION_MAX);
  }

  public static int nodeId(long ballot) {
    return (int) (ballot & NODE_ID_MAX);
  }

  /** For logs and failure messages: {@code attempt.incarnation.node}. */
  public static String format(long ballot) {
    if (ballot == NONE) {
      return "none";
    }
    return attempt(ballot) + "." + incarnation(ballot) + "." + nodeId(ballot);
  }
}
