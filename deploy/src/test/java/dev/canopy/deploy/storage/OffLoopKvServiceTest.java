package dev.canopy.deploy.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Riak interface's event loop never runs the store's blocking calls, and a full pool says so. */
class OffLoopKvServiceTest {

  private final ExecutorService workers = Executors.newSingleThreadExecutor(r -> new Thread(r, "kv-worker"));

  @AfterEach
  void stop() throws InterruptedException {
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** A node that records which thread called it, as the engine's blocking backend call would run there. */
  private static final class RecordingNode implements KvService {
    volatile String calledOn;
    RuntimeException failure;

    private <T> CompletableFuture<T> answer(T value) {
      calledOn = Thread.currentThread().getName();
      if (failure != null) {
        throw failure;
      }
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletableFuture<FetchResult> get(String bucket, String key, ReadOptions options) {
      return answer(new FetchResult(List.of(Content.of(key.getBytes(), "text/plain")), new byte[] {1}));
    }

    @Override
    public CompletableFuture<FetchResult> put(String bucket, String key, byte[] context, Content content, WriteOptions options) {
      return answer(new FetchResult(List.of(), null));
    }

    @Override
    public CompletableFuture<Void> delete(String bucket, String key, byte[] context, WriteOptions options) {
      return answer(null);
    }

    @Override
    public CompletableFuture<Void> listKeys(String bucket, Consumer<List<String>> batch) {
      return answer(null);
    }

    @Override
    public BucketProps props(String bucket) {
      return BucketProps.defaults(1);
    }

    @Override
    public CompletableFuture<Void> setProps(String bucket, BucketProps props) {
      return answer(null);
    }

    @Override
    public CompletableFuture<Void> resetProps(String bucket) {
      return answer(null);
    }

    @Override
    public KvStats stats() {
      return null;
    }
  }

  @Test
  void everyRequestRunsOnAWorkerNotOnTheCallersThread() throws Exception {
    RecordingNode node = new RecordingNode();
    OffLoopKvService store = new OffLoopKvService(node, workers);

    assertThat(new String(store.get("b", "k", ReadOptions.DEFAULTS).get(10, TimeUnit.SECONDS).siblings().get(0).value()))
        .isEqualTo("k");
    assertThat(node.calledOn).isEqualTo("kv-worker");
    node.calledOn = null;
    store.put("b", "k", null, Content.of(new byte[] {1}, "text/plain"), WriteOptions.DEFAULTS).get(10, TimeUnit.SECONDS);
    assertThat(node.calledOn).isEqualTo("kv-worker");
    node.calledOn = null;
    store.delete("b", "k", null, WriteOptions.DEFAULTS).get(10, TimeUnit.SECONDS);
    assertThat(node.calledOn).isEqualTo("kv-worker");
    node.calledOn = null;
    store.resetProps("b").get(10, TimeUnit.SECONDS);
    assertThat(node.calledOn).isEqualTo("kv-worker");
  }

  @Test
  void aFailureOfTheNodeReachesTheCallerAsItself() {
    RecordingNode node = new RecordingNode();
    node.failure = new QuorumUnreachableException("put", 2, 1);
    OffLoopKvService store = new OffLoopKvService(node, workers);

    // The interface maps QuorumUnreachableException to 503; wrapped in something else it would be a 500.
    assertThatThrownBy(() -> store.get("b", "k", ReadOptions.DEFAULTS).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(QuorumUnreachableException.class);
  }

  @Test
  void aPoolThatRefusesFailsTheRequestInsteadOfRunningItOnTheEventLoop() {
    RecordingNode node = new RecordingNode();
    OffLoopKvService store = new OffLoopKvService(node, command -> {
      throw new RejectedExecutionException("full");
    });

    assertThatThrownBy(() -> store.get("b", "k", ReadOptions.DEFAULTS)).isInstanceOf(RejectedExecutionException.class);
    assertThat(node.calledOn).as("the node was not called on the caller's thread").isNull();
  }
}
