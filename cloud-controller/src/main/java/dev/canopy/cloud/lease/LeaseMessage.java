package dev.canopy.cloud.lease;

/**
 * The PaxosLease messages (PAXOSLEASE.md, "Messages"). Each carries its sender's node id, which
 * the transport has checked against the sender's certificate, and the sender's {@link
 * LeaseConfig#configHash()}. Durations are relative: no message carries a timestamp that another
 * node would compare with its own clock.
 */
public sealed interface LeaseMessage {

  /** No node: a Release with no successor, or an acceptor with nothing accepted. */
  int NO_NODE = -1;

  int senderId();

  long configHash();

  /** Proposer to acceptors: phase 1 of an attempt. */
  record PrepareRequest(int senderId, long configHash, long ballot) implements LeaseMessage {}

  /** Acceptor to proposer: the ballot is below what the acceptor has promised. */
  record PrepareRejected(int senderId, long configHash, long ballot, long promisedBallot)
      implements LeaseMessage {}

  /** Acceptor to proposer: promised, but a lease is live here (remaining is the exclusion left). */
  record PreparePreviouslyAccepted(
      int senderId, long configHash, long ballot, long acceptedBallot, int owner, long remainingNanos)
      implements LeaseMessage {}

  /** Acceptor to proposer: promised, and no lease is live here. */
  record PrepareCurrentlyOpen(int senderId, long configHash, long ballot) implements LeaseMessage {}

  /** Proposer to acceptors: phase 2, asking them to accept {@code owner} for {@code durationMs}. */
  record ProposeRequest(int senderId, long configHash, long ballot, int owner, long durationMs)
      implements LeaseMessage {}

  /** Acceptor to proposer: accepted; its exclusion for the proposal has started. */
  record ProposeAccepted(int senderId, long configHash, long ballot) implements LeaseMessage {}

  /** Acceptor to proposer: not accepted (ballot below promise, duration too long, or live lease). */
  record ProposeRejected(int senderId, long configHash, long ballot, long promisedBallot)
      implements LeaseMessage {}

  /** Holder to everyone: it holds the lease for about {@code remainingNanos} more. */
  record LearnChosen(int senderId, long configHash, int owner, long remainingNanos)
      implements LeaseMessage {}

  /**
   * Holder to everyone: it has stopped holding. Names the ballot it held and the attempt it
   * abandoned (either may be {@link Ballot#NONE}); acceptors clear a lease that matches exactly one
   * of them. {@code successorId} proposes at once; the others wait.
   */
  record Release(
      int senderId, long configHash, long heldBallot, long abandonedBallot, int owner, int successorId)
      implements LeaseMessage {}
}
