package dev.canopy.cloud.storeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Puts made while another is being written are written together in one batch; one alone is a
 * plain put; a failed batch leaves each put to succeed or fail on its own.
 */
class GroupedPutStoreTest {

  private final Recording inner = new Recording();
  private final GroupedPutStore store = new GroupedPutStore(inner);
  private final ExecutorService threads = Executors.newFixedThreadPool(12);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aPutAloneIsAPlainPut() {
    store.put("ns", "k", bytes("v"));
    assertThat(inner.puts).containsExactly("ns/k");
    assertThat(inner.batches).isEmpty();
    assertThat(inner.stored).containsKey("ns/k");
  }

  @Test
  void putsMadeWhileOneIsWrittenGoTogetherInTheNextBatch() throws Exception {
    inner.hold = new CountDownLatch(1);
    Future<?> first = threads.submit(() -> store.put("ns", "first", bytes("1")));
    assertThat(inner.holding.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<?>> rest = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      rest.add(threads.submit(() -> store.put("ns", "k" + n, bytes("v" + n))));
    }
    awaitWaiting(10);
    inner.hold.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : rest) {
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(inner.puts).containsExactly("ns/first");
    assertThat(inner.batches).hasSize(1);
    assertThat(inner.batches.get(0)).hasSize(10);
    assertThat(inner.stored).hasSize(11);
    assertThat(store.groupsAndPuts()).containsExactly(2, 11);
  }

  @Test
  void aFailedBatchFailsOnlyThePutsThatFailAlone() throws Exception {
    inner.hold = new CountDownLatch(1);
    Future<?> first = threads.submit(() -> store.put("ns", "first", bytes("1")));
    assertThat(inner.holding.await(10, TimeUnit.SECONDS)).isTrue();
    inner.refuse = "ns/bad";
    Future<?> bad = threads.submit(() -> store.put("ns", "bad", bytes("x")));
    List<Future<?>> good = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      good.add(threads.submit(() -> store.put("ns", "ok" + n, bytes("v"))));
    }
    awaitWaiting(5);
    inner.hold.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : good) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
    assertThat(inner.stored).containsKeys("ns/first", "ns/ok0", "ns/ok1", "ns/ok2", "ns/ok3").doesNotContainKey("ns/bad");
  }

  private void awaitWaiting(int puts) throws InterruptedException {
    // The waiting puts are parked on the store's lock: give them the time to get there.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waitingThreads() < puts && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(waitingThreads()).isGreaterThanOrEqualTo(puts);
  }

  private int waitingThreads() {
    return (int) Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getState() == Thread.State.WAITING)
        .filter(e -> List.of(e.getValue()).stream().anyMatch(f -> f.getClassName().equals(GroupedPutStore.class.getName())))
        .count();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Records the calls; the first write can be held back; one key can be refused. */
  private static final class Recording implements SystemStore {
    final List<String> puts = Collections.synchronizedList(new ArrayList<>());
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    final CountDownLatch holding = new CountDownLatch(1);
    volatile CountDownLatch hold;
    volatile String refuse;

    private void holdOnce() {
      CountDownLatch h = hold;
      if (h != null && holding.getCount() > 0) {
        holding.countDown();
        try {
          h.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
      holdOnce();
      puts.add(namespace + "/" + key);
      if ((namespace + "/" + key).equals(refuse)) {
        throw new StoreException("refused " + key, null);
      }
      stored.put(namespace + "/" + key, value);
    }

    @Override
    public void putAll(List<Write> writes) {
      holdOnce();
      batches.add(writes.stream().map(w -> w.namespace() + "/" + w.key()).toList());
      for (Write w : writes) {
        if ((w.namespace() + "/" + w.key()).equals(refuse)) {
          throw new StoreException("refused " + w.key(), null);
        }
      }
      writes.forEach(w -> stored.put(w.namespace() + "/" + w.key(), w.value()));
    }

    @Override
    public void delete(String namespace, String key) {
      stored.remove(namespace + "/" + key);
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
      return Optional.ofNullable(stored.get(namespace + "/" + key));
    }

    @Override
    public Map<String, byte[]> loadAll(String namespace) {
      return Map.copyOf(stored);
    }
  }
}
