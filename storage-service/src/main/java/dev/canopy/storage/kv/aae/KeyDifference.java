package dev.canopy.storage.kv.aae;

/** A key the two sides of an exchange disagree on, and how (Riak's missing, remote_missing, different). */
public record KeyDifference(KeyBytes key, Kind kind) {

  public enum Kind {
    /** The remote side has the key, this side does not. */
    MISSING_LOCALLY,
    /** This side has the key, the remote side does not. */
    MISSING_REMOTELY,
    /** Both have it, with different objects. */
    DIFFERENT
  }
}
