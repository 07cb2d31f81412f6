package dev.canopy.storage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.local.SystemStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable store as the last line of fencing. Grid members write through to it, and a member
 * cut off from the others (or a paused one that woke up) still believes in its old view of the
 * grid for a while: its split-brain protection and epoch checks pass in that view, and its writes
 * would reach the disk the whole cloud restarts from. So the store itself checks what a fenced
 * record carries ({@code {"epoch":n,"value":…}}): a write to a fenced namespace is refused when
 * its epoch is below the newest minted epoch (the epoch record, which the minting holder writes
 * through before it leads) or below the epoch of the record it replaces; the epoch record itself
 * never goes down. Everything else passes through unchanged.
 */
public final class EpochFencedStore implements SystemStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EPOCH = "epoch";

  private final SystemStore store;
  private final String epochNamespace;
  private final String epochKey;
  private final Set<String> fenced;

  /**
   * @param epochNamespace and {@code epochKey}: where the minted epoch's record lives
   * @param fenced the namespaces whose records are fenced envelopes
   */
  public EpochFencedStore(SystemStore store, String epochNamespace, String epochKey, Set<String> fenced) {
    this.store = store;
    this.epochNamespace = epochNamespace;
    this.epochKey = epochKey;
    this.fenced = Set.copyOf(fenced);
  }

  /** A write under an older epoch than the store has seen: the writer is no longer the leader. */
  public static final class StaleEpochWrite extends RuntimeException {
    StaleEpochWrite(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    boolean isEpoch = namespace.equals(epochNamespace) && key.equals(epochKey);
    if (!isEpoch && !fenced.contains(namespace)) {
      store.put(namespace, key, value);
      return;
    }
    long epoch = epochOf(value, namespace + "/" + key);
    // One fenced write at a time: the checks and the write must not interleave with another's.
    synchronized (this) {
      long newest = store.get(epochNamespace, epochKey).map(v -> epochOf(v, "the epoch record")).orElse(0L);
      if (epoch < newest) {
        throw new StaleEpochWrite(namespace + "/" + key + " written under epoch " + epoch + ", but epoch " + newest + " was minted");
      }
      if (!isEpoch) {
        long replaced = store.get(namespace, key).map(v -> epochOf(v, namespace + "/" + key)).orElse(0L);
        if (epoch < replaced) {
          throw new StaleEpochWrite(namespace + "/" + key + " written under epoch " + epoch + " over one written under " + replaced);
        }
      }
      store.put(namespace, key, value);
    }
  }

  @Override
  public void delete(String namespace, String key) {
    store.delete(namespace, key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return store.get(namespace, key);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return store.loadAll(namespace);
  }

  private static long epochOf(byte[] value, String what) {
    JsonNode epoch;
    try {
      epoch = JSON.readTree(value).path(EPOCH);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not a fenced record (not JSON)");
    }
    if (!epoch.canConvertToExactIntegral() || epoch.asLong() < 0) {
      throw new IllegalArgumentException(what + " is not a fenced record (no epoch)");
    }
    return epoch.asLong();
  }
}
