package dev.canopy.cloud.storeclient;

import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SystemStore} over several storage nodes' internal KV endpoints, which all serve the
 * same replicated store: a call goes to the endpoint that answered last, and moves on to the next
 * when that one cannot take it (no connection after its retries, or 503: no quorum there, or
 * stopping) — {@link StoreException#tryElsewhere()}. Any other failure (a timeout whose outcome
 * is unknown, a refused write, a bad request) is the caller's, as with one endpoint. Every
 * request of the API is idempotent, so sending one again elsewhere is harmless.
 */
public final class FailoverSystemStore implements SystemStore {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverSystemStore.class);

  private final List<SystemStore> stores;
  private final List<URI> names;
  private volatile int preferred;

  /**
   * @param stores one per endpoint, in the order they are tried first
   * @param names each one's URL, for the log
   */
  public FailoverSystemStore(List<? extends SystemStore> stores, List<URI> names) {
    if (stores.isEmpty() || stores.size() != names.size()) {
      throw new IllegalArgumentException("one name per store, and at least one store");
    }
    this.stores = List.copyOf(stores);
    this.names = List.copyOf(names);
  }

  /** Endpoints of the same replicated store, each reached by its {@link RemoteSystemStore}. */
  public static FailoverSystemStore of(List<RemoteSystemStore> stores) {
    return new FailoverSystemStore(stores, stores.stream().map(RemoteSystemStore::endpoint).toList());
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    call(store -> {
      store.put(namespace, key, value);
      return null;
    });
  }

  @Override
  public void delete(String namespace, String key) {
    call(store -> {
      store.delete(namespace, key);
      return null;
    });
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return call(store -> store.get(namespace, key));
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return call(store -> store.loadAll(namespace));
  }

  private <T> T call(Function<SystemStore, T> request) {
    int first = preferred;
    StoreException last = null;
    for (int i = 0; i < stores.size(); i++) {
      int index = (first + i) % stores.size();
      try {
        T answer = request.apply(stores.get(index));
        if (index != first) {
          LOG.warn("the durable store answers on {} now ({} did not)", names.get(index), names.get(first));
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
