package dev.canopy.storage.kv;

/**
 * A bucket's replication properties, as in Riak: {@code n_val} replicas per key, the default
 * quorums of its reads ({@code r}, {@code pr}) and writes ({@code w}, {@code dw}, {@code pw}),
 * and how concurrent writes resolve: as siblings ({@code allow_mult}) or by last-write-wins.
 */
public record BucketProps(
    int nVal,
    Quorum r,
    Quorum w,
    Quorum dw,
    Quorum pr,
    Quorum pw,
    boolean allowMult,
    boolean lastWriteWins) {

  /** The largest n_val a bucket may ask for. */
  public static final int N_VAL_MAX = 5;

  public BucketProps {
    if (nVal < 1 || nVal > N_VAL_MAX) {
      throw new InvalidRequestException("n_val must be between 1 and " + N_VAL_MAX + ": " + nVal);
    }
    for (Quorum q : new Quorum[] {r, w, dw, pr, pw}) {
      if (q == null || q.kind() == Quorum.Kind.DEFAULT) {
        throw new InvalidRequestException("a bucket's quorum values cannot be default");
      }
      q.resolve(nVal, null);
    }
    if (allowMult && lastWriteWins) {
      throw new InvalidRequestException("allow_mult and last_write_wins cannot both be true");
    }
  }

  /**
   * Riak's defaults (N=3, R=W=DW=quorum, PR=PW=0, no siblings) where at least three storage nodes
   * exist; with fewer nodes N is the number of nodes, so the cloud in a box runs N=1.
   */
  public static BucketProps defaults(int storageNodes) {
    int n = Math.max(1, Math.min(3, storageNodes));
    return new BucketProps(
        n, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), false,
        false);
  }

  public BucketProps withNVal(int n) {
    return new BucketProps(n, r, w, dw, pr, pw, allowMult, lastWriteWins);
  }
}
