package dev.canopy.storage.kv.backend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KvBackend} promises (its Javadoc), run against each implementation by a
 * subclass that says how to make one.
 */
abstract class KvBackendContract {

  KvBackend backend;

  abstract KvBackend newBackend();

  @BeforeEach
  void open() {
    backend = newBackend();
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static byte[] bytes(int... unsigned) {
    byte[] out = new byte[unsigned.length];
    for (int i = 0; i < unsigned.length; i++) {
      out[i] = (byte) unsigned[i];
    }
    return out;
  }

  List<String> foldKeys(int partition) {
    List<String> keys = new ArrayList<>();
    backend.fold(partition, (k, v) -> keys.add(new String(k, UTF_8)));
    return keys;
  }

  @Test
  void aPutIsReadBackOverwrittenAndDeleted() {
    assertThat(backend.get(1, bytes("k"))).isEmpty();
    backend.put(1, bytes("k"), bytes("v1"), false);
    assertThat(backend.get(1, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));
    backend.put(1, bytes("k"), bytes("v2"), true);
    assertThat(backend.get(1, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v2")));
    backend.delete(1, bytes("k"), true);
    assertThat(backend.get(1, bytes("k"))).isEmpty();
    backend.delete(1, bytes("never-there"), false);
    assertThat(backend.isEmpty(1)).isTrue();
  }

  @Test
  void emptyKeysAndValuesAreRecordsLikeAnyOther() {
    backend.put(1, new byte[0], new byte[0], false);
    assertThat(backend.get(1, new byte[0])).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(backend.isEmpty(1)).isFalse();
    assertThat(backend.isEmpty(0)).isTrue();
    assertThat(backend.isEmpty(2)).isTrue();
  }

  @Test
  void storedBytesDoNotChangeWithTheCallersArrays() {
    byte[] key = bytes("k");
    byte[] value = bytes("value");
    backend.put(1, key, value, false);
    key[0] = 'x';
    value[0] = 'X';
    byte[] read = backend.get(1, bytes("k")).orElseThrow();
    read[1] = 'A';
    assertThat(backend.get(1, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("value")));
    assertThat(backend.get(1, bytes("x"))).isEmpty();
  }

  @Test
  void partitionsAreKeptApart() {
    // Neighbours, the first and the last partition, and a key whose bytes look like a partition number.
    int[] partitions = {0, 1, 2, 255, 256, Integer.MAX_VALUE};
    for (int p : partitions) {
      backend.put(p, bytes("same"), bytes("in " + p), false);
      backend.put(p, bytes(0, 0, 0, 1), bytes("prefix-like " + p), false);
    }
    for (int p : partitions) {
      assertThat(new String(backend.get(p, bytes("same")).orElseThrow(), UTF_8)).isEqualTo("in " + p);
      List<String> values = new ArrayList<>();
      backend.fold(p, (k, v) -> values.add(new String(v, UTF_8)));
      assertThat(values).containsExactly("prefix-like " + p, "in " + p);
    }
    backend.delete(1, bytes("same"), false);
    assertThat(backend.get(1, bytes("same"))).isEmpty();
    assertThat(backend.get(0, bytes("same"))).isPresent();
    assertThat(backend.get(2, bytes("same"))).isPresent();
    assertThat(backend.isEmpty(3)).isTrue();
  }

  @Test
  void aNegativePartitionIsABug() {
    assertThatThrownBy(() -> backend.put(-1, bytes("k"), bytes("v"), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backend.fold(-1, (k, v) -> {})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backend.drop(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFoldVisitsKeysInUnsignedByteOrder() {
    byte[][] keys = {bytes(0xff), bytes(0x80), bytes(0x7f), bytes(0x00), bytes(), bytes(0x00, 0x00),
        bytes(0x7f, 0xff), bytes(0x80, 0x00), bytes(0xff, 0xff, 0xff)};
    for (byte[] k : keys) {
      backend.put(7, k, k, false);
    }
    List<byte[]> seen = new ArrayList<>();
    backend.fold(7, (k, v) -> {
      assertThat(v).isEqualTo(k);
      seen.add(k);
    });
    byte[][] expected = keys.clone();
    Arrays.sort(expected, Arrays::compareUnsigned);
    assertThat(seen).containsExactly(expected);
  }

  @Test
  void aPrefixFoldVisitsOnlyThatPrefixInOrderAndStopsWhenAsked() {
    for (byte[] k : new byte[][] {bytes(0x01), bytes(0x02), bytes(0x02, 0x00), bytes(0x02, 0xff),
        bytes(0x02, 0xff, 0xff), bytes(0x03), bytes(0x02, 0x7f)}) {
      backend.put(8, k, k, false);
    }
    backend.put(9, bytes(0x02, 0x01), bytes(0x00), false);
    List<byte[]> seen = new ArrayList<>();
    backend.foldPrefix(8, bytes(0x02), (k, v) -> seen.add(k));
    assertThat(seen).containsExactly(bytes(0x02), bytes(0x02, 0x00), bytes(0x02, 0x7f),
        bytes(0x02, 0xff), bytes(0x02, 0xff, 0xff));
    List<byte[]> firstTwo = new ArrayList<>();
    backend.foldPrefix(8, bytes(0x02), (k, v) -> firstTwo.add(k) && firstTwo.size() < 2);
    assertThat(firstTwo).containsExactly(bytes(0x02), bytes(0x02, 0x00));
    List<byte[]> all = new ArrayList<>();
    backend.foldPrefix(8, bytes(), (k, v) -> all.add(k));
    assertThat(all).hasSize(7);
    List<byte[]> none = new ArrayList<>();
    backend.foldPrefix(8, bytes(0x04), (k, v) -> none.add(k));
    assertThat(none).isEmpty();
  }

  @Test
  void aFoldSeesTheRecordsAsTheyWereWhenItBegan() {
    for (String k : List.of("a", "b", "c", "d")) {
      backend.put(3, bytes(k), bytes("old " + k), false);
    }
    List<String> seen = new ArrayList<>();
    backend.fold(3, (k, v) -> {
      String key = new String(k, UTF_8);
      seen.add(key + "=" + new String(v, UTF_8));
      if (key.equals("a")) {
        backend.put(3, bytes("b"), bytes("new b"), false);
        backend.delete(3, bytes("c"), false);
        backend.put(3, bytes("bb"), bytes("inserted"), true);
        backend.put(3, bytes("e"), bytes("appended"), false);
      }
    });
    assertThat(seen).containsExactly("a=old a", "b=old b", "c=old c", "d=old d");
    assertThat(foldKeys(3)).containsExactly("a", "b", "bb", "d", "e");
  }

  @Test
  void dropEmptiesOnePartitionOnly() {
    for (int p : new int[] {4, 5, 6, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
      for (int i = 0; i < 50; i++) {
        backend.put(p, bytes("k" + i), bytes("v"), false);
      }
    }
    backend.drop(5);
    backend.drop(Integer.MAX_VALUE);
    assertThat(backend.isEmpty(5)).isTrue();
    assertThat(foldKeys(5)).isEmpty();
    assertThat(backend.get(5, bytes("k1"))).isEmpty();
    assertThat(backend.isEmpty(Integer.MAX_VALUE)).isTrue();
    assertThat(foldKeys(4)).hasSize(50);
    assertThat(foldKeys(6)).hasSize(50);
    assertThat(foldKeys(Integer.MAX_VALUE - 1)).hasSize(50);
    backend.put(5, bytes("again"), bytes("v"), false);
    assertThat(foldKeys(5)).containsExactly("again");
  }

  @Test
  void syncAfterUnsyncedWritesKeepsThemReadable() {
    backend.put(1, bytes("a"), bytes("1"), false);
    backend.delete(1, bytes("a"), false);
    backend.put(1, bytes("b"), bytes("2"), false);
    backend.sync();
    backend.sync();
    assertThat(foldKeys(1)).containsExactly("b");
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            // Two threads per partition, synced and unsynced writes interleaved, some deleted again.
            backend.put(thread % 4, bytes(thread + "-" + i), bytes("v" + i), i % 2 == 0);
            if (i % 10 == 9) {
              backend.delete(thread % 4, bytes(thread + "-" + (i - 1)), true);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = 0;
    for (int p = 0; p < 4; p++) {
      total += foldKeys(p).size();
    }
    assertThat(total).isEqualTo(threads * (perThread - perThread / 10));
    assertThat(backend.get(3, bytes("7-99"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v99")));
    assertThat(backend.get(3, bytes("7-98"))).isEmpty();
  }

  @Test
  void everyCallOnAClosedBackendIsABackendException() {
    backend.put(1, bytes("k"), bytes("v"), true);
    backend.close();
    backend.close();
    List<Consumer<KvBackend>> calls = List.of(
        b -> b.get(1, bytes("k")),
        b -> b.put(1, bytes("k"), bytes("v"), true),
        b -> b.delete(1, bytes("k"), false),
        KvBackend::sync,
        b -> b.fold(1, (k, v) -> {}),
        b -> b.isEmpty(1),
        b -> b.drop(1));
    for (Consumer<KvBackend> call : calls) {
      assertThatThrownBy(() -> call.accept(backend)).isInstanceOf(BackendException.class).hasMessageContaining("closed");
    }
  }
}
