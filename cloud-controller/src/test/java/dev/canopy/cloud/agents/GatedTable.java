package dev.canopy.cloud.agents;

import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.ForwardingTable;
import dev.canopy.cloud.grid.Table;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** An in-memory table whose reads a test can hold back, as a grid under load holds them. */
final class GatedTable<T> implements ForwardingTable<T> {

  private final InMemoryTable<T> rows = new InMemoryTable<>();
  private final Semaphore held = new Semaphore(0);
  private volatile CountDownLatch gate;

  /** Reads from now on wait until {@link #open}. */
  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    CountDownLatch closed = gate;
    gate = null;
    if (closed != null) {
      closed.countDown();
    }
  }

  /** Waits until a read is held back. */
  boolean awaitHeldRead(long seconds) throws InterruptedException {
    return held.tryAcquire(seconds, TimeUnit.SECONDS);
  }

  @Override
  public Optional<T> get(String key) {
    CountDownLatch closed = gate;
    if (closed != null) {
      held.release();
      try {
        closed.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ForwardingTable.super.get(key);
  }

  @Override
  public Table<T> delegate() {
    return rows;
  }
}
