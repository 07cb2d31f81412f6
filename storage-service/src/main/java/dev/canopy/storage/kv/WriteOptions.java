package dev.canopy.storage.kv;

/**
 * A write's quorums: {@code w} replicas must have received it, {@code dw} of them synced it to
 * disk, {@code pw} of them primaries; {@code returnBody} asks for the stored object back.
 */
public record WriteOptions(Quorum w, Quorum dw, Quorum pw, boolean returnBody) {
  public static final WriteOptions DEFAULTS =
      new WriteOptions(Quorum.DEFAULT, Quorum.DEFAULT, Quorum.DEFAULT, false);
}
