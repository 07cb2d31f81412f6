package dev.canopy.deploy.storage;

import dev.canopy.core.time.Futures;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.RingView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A {@link RingAdmin} whose calls start on a worker pool: a join or leave installs a ring (and
 * counts pending handoffs on RocksDB), which must not run on the Riak listener's event loop.
 */
final class OffLoopRingAdmin implements RingAdmin {

  private final RingAdmin membership;
  private final Executor workers;

  OffLoopRingAdmin(RingAdmin membership, Executor workers) {
    this.membership = membership;
    this.workers = workers;
  }

  @Override
  public CompletableFuture<RingView> view() {
    return offLoop(membership::view);
  }

  @Override
  public CompletableFuture<RingView> join(String node, String address) {
    return offLoop(() -> membership.join(node, address));
  }

  @Override
  public CompletableFuture<RingView> leave(String node) {
    return offLoop(() -> membership.leave(node));
  }

  private <T> CompletableFuture<T> offLoop(Supplier<CompletableFuture<T>> call) {
    return Futures.startOn(workers, call);
  }
}
