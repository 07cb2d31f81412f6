package dev.canopy.storage.kv;

/**
 * A join or leave the store will not make, with why; nothing was changed. Each reason maps to one
 * HTTP status on the Riak interface's ring routes.
 */
public final class MembershipRefusedException extends KvException {

  /** What kind of refusal, so the operator knows whether to fix the request, the cluster or wait. */
  public enum Reason {
    /** The request names no valid node id or address: 400. */
    INVALID,
    /** The node to leave is not a member: 404. */
    NOT_A_MEMBER,
    /** The change contradicts the cluster's state (already a member, last member, a node with data of its own): 409. */
    CONFLICT,
    /** The node to add or remove does not answer over the peer port: 503, try again once it does. */
    UNREACHABLE
  }

  private final Reason reason;

  public MembershipRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
