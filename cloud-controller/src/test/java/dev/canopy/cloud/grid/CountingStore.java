package dev.canopy.cloud.grid;

import dev.canopy.storage.local.SystemStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that counts the reads made of it and passes everything through: with the storage role's
 * endpoint as the store, every read is a round trip, and tests check how many there are.
 */
public final class CountingStore implements SystemStore {

  private final SystemStore delegate;
  /** {@link #get} calls. */
  public final AtomicInteger singleReads = new AtomicInteger();
  /** {@link #getAll} calls, however many keys each names. */
  public final AtomicInteger batchReads = new AtomicInteger();
  /** {@link #get} calls per namespace. */
  public final Map<String, AtomicInteger> singleReadsOf = new ConcurrentHashMap<>();
  /** {@link #getAll} calls per namespace. */
  public final Map<String, AtomicInteger> batchReadsOf = new ConcurrentHashMap<>();
  /** {@link #loadAll} calls per namespace. */
  public final Map<String, AtomicInteger> namespaceReads = new ConcurrentHashMap<>();

  public CountingStore(SystemStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    delegate.put(namespace, key, value);
  }

  @Override
  public void delete(String namespace, String key) {
    delegate.delete(namespace, key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    singleReads.incrementAndGet();
    singleReadsOf.computeIfAbsent(namespace, n -> new AtomicInteger()).incrementAndGet();
    return delegate.get(namespace, key);
  }

  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    batchReads.incrementAndGet();
    batchReadsOf.computeIfAbsent(namespace, n -> new AtomicInteger()).incrementAndGet();
    return delegate.getAll(namespace, keys);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    namespaceReads.computeIfAbsent(namespace, n -> new AtomicInteger()).incrementAndGet();
    return delegate.loadAll(namespace);
  }
}
