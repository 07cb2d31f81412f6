package dev.canopy.storage.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract, and the crash model the simulator relies on to catch an ack before a sync. */
class MemoryBackendTest extends KvBackendContract {

  @Override
  KvBackend newBackend() {
    return new MemoryBackend();
  }

  private MemoryBackend memory() {
    return (MemoryBackend) backend;
  }

  @Test
  void aCrashLosesUnsyncedWritesAndKeepsSyncedOnes() {
    backend.put(1, bytes("synced"), bytes("s"), true);
    backend.put(1, bytes("unsynced"), bytes("u"), false);
    assertThat(memory().unsyncedCount()).isEqualTo(1);
    memory().crash();
    assertThat(foldKeys(1)).containsExactly("synced");
    assertThat(memory().unsyncedCount()).isZero();
  }

  @Test
  void aCrashBringsBackTheLastSyncedRecordOfEachKey() {
    backend.put(1, bytes("overwritten"), bytes("synced value"), true);
    backend.put(1, bytes("deleted"), bytes("still here"), true);
    backend.put(1, bytes("overwritten"), bytes("lost value"), false);
    backend.delete(1, bytes("deleted"), false);
    memory().crash();
    assertThat(backend.get(1, bytes("overwritten"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("synced value")));
    assertThat(backend.get(1, bytes("deleted"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("still here")));
  }

  @Test
  void aSyncedWriteMakesEveryEarlierChangeDurableAsOneOrderedLogWould() {
    backend.put(1, bytes("earlier"), bytes("e"), false);
    backend.put(2, bytes("other partition"), bytes("o"), false);
    backend.delete(2, bytes("other partition"), false);
    backend.put(3, bytes("synced"), bytes("s"), true);
    backend.put(3, bytes("later"), bytes("l"), false);
    memory().crash();
    assertThat(foldKeys(1)).containsExactly("earlier");
    assertThat(foldKeys(2)).isEmpty();
    assertThat(foldKeys(3)).containsExactly("synced");
  }

  @Test
  void syncMakesEverythingDurable() {
    backend.put(1, bytes("a"), bytes("1"), false);
    backend.delete(1, bytes("a"), false);
    backend.put(1, bytes("b"), bytes("2"), false);
    backend.sync();
    memory().crash();
    assertThat(foldKeys(1)).containsExactly("b");
  }

  @Test
  void aDropIsDurable() {
    backend.put(1, bytes("a"), bytes("1"), true);
    backend.put(1, bytes("b"), bytes("2"), false);
    backend.drop(1);
    memory().crash();
    assertThat(backend.isEmpty(1)).isTrue();
  }
}
