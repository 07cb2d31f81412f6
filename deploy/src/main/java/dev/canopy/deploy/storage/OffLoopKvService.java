package dev.canopy.deploy.storage;

import dev.canopy.core.time.Futures;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link KvService} whose requests start on a worker pool: the engine's node calls its
 * backend (RocksDB, synced writes) in the calling thread, and the Riak HTTP interface calls from
 * a Vert.x event loop, which must never block. A pool that refuses the call (full) throws its
 * {@code RejectedExecutionException} to the caller, which answers it as an error instead of
 * queueing without end or running the call on the event loop.
 */
final class OffLoopKvService implements KvService {

  private final KvService node;
  private final Executor workers;

  OffLoopKvService(KvService node, Executor workers) {
    this.node = node;
    this.workers = workers;
  }

  @Override
  public CompletableFuture<FetchResult> get(String bucket, String key, ReadOptions options) {
    return offLoop(() -> node.get(bucket, key, options));
  }

  @Override
  public CompletableFuture<FetchResult> put(String bucket, String key, byte[] context, Content content, WriteOptions options) {
    return offLoop(() -> node.put(bucket, key, context, content, options));
  }

  @Override
  public CompletableFuture<FetchResult> putSuperseding(String bucket, String key, Content content, ReadOptions read, WriteOptions write) {
    return offLoop(() -> node.putSuperseding(bucket, key, content, read, write));
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key, byte[] context, WriteOptions options) {
    return offLoop(() -> node.delete(bucket, key, context, options));
  }

  @Override
  public CompletableFuture<Void> listKeys(String bucket, Consumer<List<String>> batch) {
    return offLoop(() -> node.listKeys(bucket, batch));
  }

  @Override
  public CompletableFuture<KeyPage> listPage(String bucket, String prefix, String startAfter, int limit, ReadOptions options) {
    return offLoop(() -> node.listPage(bucket, prefix, startAfter, limit, options));
  }

  @Override
  public BucketProps props(String bucket) {
    return node.props(bucket);
  }

  @Override
  public CompletableFuture<Void> setProps(String bucket, BucketProps props) {
    return offLoop(() -> node.setProps(bucket, props));
  }

  @Override
  public CompletableFuture<Void> resetProps(String bucket) {
    return offLoop(() -> node.resetProps(bucket));
  }

  @Override
  public KvStats stats() {
    return node.stats();
  }

  private <T> CompletableFuture<T> offLoop(Supplier<CompletableFuture<T>> call) {
    return Futures.startOn(workers, call);
  }
}
