package dev.canopy.storage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.local.SystemStore;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable store as the last line of fencing. Grid members write through to it, and a member
 * cut off from the others (or a paused one that woke up) still believes in its old view of the
 * grid for a while: its split-brain protection and epoch checks pass in that view, and its writes
 * would reach the disk the whole cloud restarts from. So the store itself checks what a fenced
 * record carries ({@code {"epoch":n,"value":…}}, or a {@link BinaryEnvelope}): a write to a fenced namespace is refused when
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
    boolean isEpoch = isEpochRecord(namespace, key);
    if (!isEpoch && !fenced.contains(namespace)) {
      store.put(namespace, key, value);
      return;
    }
    long epoch = epochOf(value, namespace + "/" + key);
    // One fenced write at a time: the checks and the write must not interleave with another's.
    synchronized (this) {
      long newest = newestMinted();
      if (epoch < newest) {
        throw new StaleEpochWrite(namespace + "/" + key + " written under epoch " + epoch + ", but epoch " + newest + " was minted");
      }
      if (!isEpoch) {
        checkNotOlderThanReplaced(namespace, key, epoch);
      }
      store.put(namespace, key, value);
    }
  }

  /**
   * Every record checked as {@link #put} checks it (the minted epoch read once), then written in
   * one batch of the store below: one refused record refuses the whole batch and writes nothing.
   */
  @Override
  public void putAll(List<Write> writes) {
    if (writes.stream().anyMatch(w -> isEpochRecord(w.namespace(), w.key()))) {
      // Minting is one record at a time; a batch that carries it keeps put's order of checks.
      SystemStore.super.putAll(writes);
      return;
    }
    // Parsed outside the lock; -1 marks a record of a namespace that is not fenced (epochs are >= 0).
    long[] epochs = new long[writes.size()];
    for (int i = 0; i < epochs.length; i++) {
      Write w = writes.get(i);
      epochs[i] = fenced.contains(w.namespace()) ? epochOf(w.value(), w.namespace() + "/" + w.key()) : -1;
    }
    synchronized (this) {
      long newest = newestMinted();
      for (int i = 0; i < writes.size(); i++) {
        Write w = writes.get(i);
        long epoch = epochs[i];
        if (epoch < 0) {
          continue;
        }
        if (epoch < newest) {
          throw new StaleEpochWrite(w.namespace() + "/" + w.key() + " written under epoch " + epoch + ", but epoch " + newest + " was minted");
        }
        checkNotOlderThanReplaced(w.namespace(), w.key(), epoch);
      }
      store.putAll(writes);
    }
  }

  private boolean isEpochRecord(String namespace, String key) {
    return namespace.equals(epochNamespace) && key.equals(epochKey);
  }

  private long newestMinted() {
    return store.get(epochNamespace, epochKey).map(v -> epochOf(v, "the epoch record")).orElse(0L);
  }

  private void checkNotOlderThanReplaced(String namespace, String key, long epoch) {
    long replaced = store.get(namespace, key).map(v -> epochOf(v, namespace + "/" + key)).orElse(0L);
    if (epoch < replaced) {
      throw new StaleEpochWrite(namespace + "/" + key + " written under epoch " + epoch + " over one written under " + replaced);
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
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    return store.getAll(namespace, keys);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return store.loadAll(namespace);
  }

  /**
   * The top-level {@code epoch} field, read by streaming up to it: envelopes put it first, so a
   * large record (a metering day) is not parsed whole twice per write just to fence it.
   */
  private static long epochOf(byte[] value, String what) {
    if (BinaryEnvelope.isEnvelope(value)) {
      try {
        return BinaryEnvelope.epochOf(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + " is not a fenced record (" + e.getMessage() + ")");
      }
    }
    JsonNode epoch = null;
    try (JsonParser parser = JSON.getFactory().createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(what + " is not a fenced record (not a JSON object)");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isEpoch = EPOCH.equals(parser.currentName());
        parser.nextToken();
        if (isEpoch) {
          epoch = JSON.readTree(parser);
          break;
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not a fenced record (not JSON)");
    }
    if (epoch == null || !epoch.canConvertToExactIntegral() || epoch.asLong() < 0) {
      throw new IllegalArgumentException(what + " is not a fenced record (no epoch)");
    }
    return epoch.asLong();
  }
}
