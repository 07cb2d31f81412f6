package dev.canopy.storage.kv;

/**
 * Fewer replicas answered than the request's quorum asked for (or fewer primaries than its
 * {@code pr}/{@code pw}): a 503 on the Riak interface. A write that fails this way may still
 * have landed on the replicas that answered, exactly as in Riak: the client retries with the
 * context it read.
 */
public final class QuorumUnreachableException extends KvException {
  private final int needed;
  private final int answered;

  public QuorumUnreachableException(String what, int needed, int answered) {
    super(what + ": " + answered + " of the " + needed + " replicas needed answered");
    this.needed = needed;
    this.answered = answered;
  }

  public int needed() {
    return needed;
  }

  public int answered() {
    return answered;
  }
}
