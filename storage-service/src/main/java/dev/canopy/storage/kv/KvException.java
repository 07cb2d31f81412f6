package dev.canopy.storage.kv;

/**
 * A failure the store reports to its caller in words a client can act on; each subclass maps to
 * one HTTP status on the Riak interface. The message never carries a value or a secret.
 */
public abstract sealed class KvException extends RuntimeException
    permits InvalidRequestException, QuorumUnreachableException, MembershipRefusedException {
  protected KvException(String message) {
    super(message, null, false, false);
  }
}
