package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.ReadOptions;

/**
 * A read's quorums resolved against its bucket: {@code n} replicas, {@code r} answers (at least
 * one), {@code pr} of them primaries. A GET and a listing resolve them the same way.
 */
record ReadQuorums(int n, int r, int pr) {

  static ReadQuorums of(BucketProps props, ReadOptions options) {
    int n = props.nVal();
    return new ReadQuorums(n, Math.max(1, options.r().resolve(n, props.r())),
        options.pr().resolve(n, props.pr()));
  }
}
