package dev.canopy.storage.kv;

/** A peer that could not be reached or did not answer in time. */
public final class PeerUnreachableException extends RuntimeException {
  public PeerUnreachableException(String node, String why) {
    super("storage node " + node + " unreachable: " + why, null, false, false);
  }
}
