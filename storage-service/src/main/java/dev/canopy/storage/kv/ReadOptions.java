package dev.canopy.storage.kv;

/** A read's quorums: {@code r} replicas must answer, {@code pr} of them primaries. */
public record ReadOptions(Quorum r, Quorum pr) {
  public static final ReadOptions DEFAULTS = new ReadOptions(Quorum.DEFAULT, Quorum.DEFAULT);
}
