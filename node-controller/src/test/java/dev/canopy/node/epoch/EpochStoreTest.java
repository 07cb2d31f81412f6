package dev.canopy.node.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochStoreTest {

  @TempDir Path dir;

  @Test
  void aNewStoreHoldsZeroAndAcceptsEverything() {
    EpochStore store = EpochStore.open(dir);
    assertThat(store.held()).isZero();
    assertThat(store.accept(0)).isTrue();
    assertThat(Files.exists(dir.resolve(EpochStore.FILE_NAME))).isFalse();
  }

  @Test
  void olderEpochsAreRefusedAndNewerOnesPersisted() {
    EpochStore store = EpochStore.open(dir);
    assertThat(store.accept(5)).isTrue();
    assertThat(store.accept(5)).isTrue();
    assertThat(store.accept(4)).isFalse();
    assertThat(store.held()).isEqualTo(5);

    EpochStore reopened = EpochStore.open(dir);
    assertThat(reopened.held()).isEqualTo(5);
    assertThat(reopened.accept(4)).isFalse();
    assertThat(reopened.accept(9)).isTrue();
    assertThat(EpochStore.open(dir).held()).isEqualTo(9);
    assertThat(Files.exists(dir.resolve(EpochStore.FILE_NAME + ".tmp"))).isFalse();
  }

  @Test
  void aCorruptFileStopsTheAgentRatherThanResettingToZero() throws Exception {
    Files.writeString(dir.resolve(EpochStore.FILE_NAME), "garbage");
    assertThatThrownBy(() -> EpochStore.open(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void concurrentAcceptsLeaveTheHighest() throws Exception {
    EpochStore store = EpochStore.open(dir);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        long epoch = i;
        results.add(pool.submit(() -> store.accept(epoch)));
      }
      for (Future<Boolean> f : results) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(store.held()).isEqualTo(200);
    assertThat(EpochStore.open(dir).held()).isEqualTo(200);
  }
}
