package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.ContextCodec;

/**
 * How a read turns what its replicas hold into what a client sees, in one place so that a listed
 * object is exactly what a GET of its key returns: the replicas' objects merged by their dotted
 * version vectors (the last write wins without {@code allow_mult}), then the live values and the
 * merge's clock as the opaque context.
 */
final class Reconcile {

  private Reconcile() {}

  static CausalObject merge(Iterable<CausalObject> replicas, boolean allowMult) {
    CausalObject merged = CausalObject.EMPTY;
    for (CausalObject o : replicas) {
      merged = merged.merge(o);
    }
    return allowMult ? merged : merged.lastWriteWins();
  }

  /** The answer for {@code object}: its live siblings (one without allow_mult) and its context. */
  static FetchResult answer(CausalObject object, boolean allowMult) {
    CausalObject visible = allowMult ? object : object.lastWriteWins();
    return new FetchResult(visible.live(), ContextCodec.encode(object.clock()));
  }
}
