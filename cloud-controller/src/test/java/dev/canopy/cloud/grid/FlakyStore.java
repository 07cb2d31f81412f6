package dev.canopy.cloud.grid;

import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.util.Map;
import java.util.Optional;

/** Passes through to the real store, failing writes on demand like a full disk. */
public final class FlakyStore implements SystemStore {

  private final SystemStore delegate;
  private volatile boolean failing;

  public FlakyStore(SystemStore delegate) {
    this.delegate = delegate;
  }

  /** From now on every write fails (true) or goes through again (false). */
  public void failWrites(boolean fail) {
    failing = fail;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    if (failing) {
      throw new StoreException("simulated: no space left on device", null);
    }
    delegate.put(namespace, key, value);
  }

  @Override
  public void delete(String namespace, String key) {
    if (failing) {
      throw new StoreException("simulated: no space left on device", null);
    }
    delegate.delete(namespace, key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return delegate.get(namespace, key);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return delegate.loadAll(namespace);
  }
}
