package dev.canopy.cloud.storeclient;

import dev.canopy.storage.local.StoreException;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one of several storage nodes that serve the same replicated store: the one that answered
 * last, moving on to the next when that one cannot take the call (no connection after its
 * retries, or 503: no quorum there, or stopping) — {@link StoreException#tryElsewhere()}. Any
 * other failure (a timeout whose outcome is unknown, a refusal, a bad request) is the caller's, as
 * with one endpoint. Only for idempotent calls: one may be sent again elsewhere.
 *
 * @param <T> the client of one storage node
 */
final class Failover<T> {

  private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

  private final List<T> targets;
  private final List<URI> names;
  private volatile int preferred;

  /**
   * @param targets one per storage node, in the order they are tried first
   * @param names each one's URL, for the log
   */
  Failover(List<? extends T> targets, List<URI> names) {
    if (targets.isEmpty() || targets.size() != names.size()) {
      throw new IllegalArgumentException("one name per storage node, and at least one node");
    }
    this.targets = List.copyOf(targets);
    this.names = List.copyOf(names);
  }

  <R> R call(Function<T, R> request) {
    int first = preferred;
    StoreException last = null;
    for (int i = 0; i < targets.size(); i++) {
      int index = (first + i) % targets.size();
      try {
        R answer = request.apply(targets.get(index));
        if (index != first) {
          LOG.warn("the storage nodes answer on {} now ({} did not)", names.get(index), names.get(first));
          preferred = index;
        }
        return answer;
      } catch (StoreException e) {
        if (!e.tryElsewhere()) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}
