package dev.canopy.cloud.storeclient;

import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins single puts made at the same time into one {@link SystemStore#putAll} (group commit).
 * Every grid write is written through to the storage role before it returns, each from its own
 * thread, and over the storage role's endpoint each was a request of its own: under load (agents'
 * sample batches, a burst of launches) the requests, not the store, were the cost.
 *
 * <p>A put that finds no write under way writes at once, alone or with whatever is waiting; one
 * that finds a write under way waits for it to end, and the next writer takes every put waiting
 * then. So one caller pays nothing, and many share a request. When a group's write fails, each
 * of its puts is tried again alone, from its own thread: one bad record, or a failure of the
 * whole request, fails only the puts that fail alone. Everything else goes straight through.
 */
public final class GroupedPutStore implements SystemStore {

  private enum Outcome { WAITING, WRITTEN, ALONE }

  private static final class Pending {
    final Write write;
    Outcome outcome = Outcome.WAITING;

    Pending(Write write) {
      this.write = write;
    }
  }

  private final SystemStore inner;
  private final Object lock = new Object();
  private List<Pending> waiting = new ArrayList<>();
  private boolean writing;
  private long groups;
  private long grouped;

  public GroupedPutStore(SystemStore inner) {
    this.inner = inner;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    Pending mine = new Pending(new Write(namespace, key, value));
    List<Pending> group = null;
    synchronized (lock) {
      waiting.add(mine);
      try {
        while (mine.outcome == Outcome.WAITING && writing) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (waiting.remove(mine)) {
          throw new StoreException("interrupted before " + namespace + "/" + key + " was written", e);
        }
        // Already in a group being written: its outcome is not known here.
        throw new StoreException("interrupted while " + namespace + "/" + key + " was being written", e);
      }
      if (mine.outcome == Outcome.WAITING) {
        writing = true;
        group = waiting;
        waiting = new ArrayList<>();
      }
    }
    if (group != null) {
      write(group);
    }
    if (mine.outcome == Outcome.ALONE) {
      inner.put(namespace, key, value);
    }
  }

  /**
   * Writes a group taken from the waiting puts (this thread's own among them), then lets the next
   * writer go. A group of one is this thread's put, written alone: its failure is thrown here.
   */
  private void write(List<Pending> group) {
    Outcome outcome = Outcome.ALONE;
    try {
      if (group.size() == 1) {
        Write only = group.get(0).write;
        outcome = Outcome.WRITTEN;
        inner.put(only.namespace(), only.key(), only.value());
      } else {
        inner.putAll(group.stream().map(p -> p.write).toList());
        outcome = Outcome.WRITTEN;
      }
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        throw e;
      }
    } finally {
      synchronized (lock) {
        for (Pending p : group) {
          p.outcome = outcome;
        }
        groups++;
        grouped += group.size();
        writing = false;
        lock.notifyAll();
      }
    }
  }

  /** Group writes made so far, and the puts they held (for the metrics and tests). */
  public long[] groupsAndPuts() {
    synchronized (lock) {
      return new long[] {groups, grouped};
    }
  }

  @Override
  public void putAll(List<Write> writes) {
    inner.putAll(writes);
  }

  @Override
  public void delete(String namespace, String key) {
    inner.delete(namespace, key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    return inner.get(namespace, key);
  }

  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    return inner.getAll(namespace, keys);
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    return inner.loadAll(namespace);
  }
}
