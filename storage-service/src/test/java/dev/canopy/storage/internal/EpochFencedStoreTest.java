package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable store refuses what a deposed holder writes to fenced namespaces, over a real RocksDB store. */
class EpochFencedStoreTest {

  @TempDir Path dir;
  private LocalStore local;
  private EpochFencedStore store;

  @BeforeEach
  void open() {
    local = LocalStore.open(dir.resolve("store"));
    store = new EpochFencedStore(local, "fencing-epoch", "epoch", Set.of("instances"));
  }

  @AfterEach
  void close() {
    local.close();
  }

  @Test
  void refusesAFencedWriteBelowTheNewestMintedEpochAndLeavesTheRecordAsItWas() {
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":3}"));
    store.put("instances", "i-1", bytes("{\"epoch\":3,\"value\":{\"state\":\"running\"}}"));
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":4}"));

    assertThatThrownBy(() -> store.put("instances", "i-1", bytes("{\"epoch\":3,\"value\":{\"state\":\"stopping\"}}")))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("epoch 4 was minted");
    assertThatThrownBy(() -> store.put("instances", "i-2", bytes("{\"epoch\":3,\"value\":{}}")))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("running");
    assertThat(local.get("instances", "i-2")).isEmpty();

    store.put("instances", "i-1", bytes("{\"epoch\":4,\"value\":{\"state\":\"stopping\"}}"));
    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("stopping");
  }

  @Test
  void refusesARecordOlderThanTheOneItReplacesAndAnEpochRecordThatGoesDown() {
    store.put("instances", "i-1", bytes("{\"epoch\":5,\"value\":{}}"));
    assertThatThrownBy(() -> store.put("instances", "i-1", bytes("{\"epoch\":4,\"value\":{}}")))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("over one written under 5");
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":7}"));
    assertThatThrownBy(() -> store.put("fencing-epoch", "epoch", bytes("{\"epoch\":6}")))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":7}"));
  }

  @Test
  void passesOtherNamespacesThroughAndRefusesAFencedRecordWithoutAnEpoch() {
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":9}"));
    store.put("accounts", "a-1", bytes("{\"epoch\":1,\"name\":\"plain records may have any fields\"}"));
    assertThat(local.get("accounts", "a-1")).isPresent();
    assertThatThrownBy(() -> store.put("instances", "i-1", bytes("{\"state\":\"running\"}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("instances", "i-1", bytes("not json")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchIsCheckedRecordByRecordAndOneStaleRecordRefusesTheWholeBatch() {
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":4}"));
    store.put("instances", "i-1", bytes("{\"epoch\":5,\"value\":\"newer holder\"}"));

    assertThatThrownBy(() -> store.putAll(List.of(
        new SystemStore.Write("instances", "i-2", bytes("{\"epoch\":4,\"value\":\"fine alone\"}")),
        new SystemStore.Write("accounts", "a-1", bytes("plain")),
        new SystemStore.Write("instances", "i-1", bytes("{\"epoch\":4,\"value\":\"stale\"}")))))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("over one written under 5");
    assertThat(local.get("instances", "i-2")).as("nothing of a refused batch is written").isEmpty();
    assertThat(local.get("accounts", "a-1")).isEmpty();
    assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("instances", "i-3", bytes("{\"epoch\":3,\"value\":1}")))))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("epoch 4 was minted");
    assertThatThrownBy(() -> store.putAll(List.of(new SystemStore.Write("instances", "i-3", bytes("{\"value\":1}")))))
        .isInstanceOf(IllegalArgumentException.class);

    store.putAll(List.of(
        new SystemStore.Write("instances", "i-2", bytes("{\"epoch\":5,\"value\":\"two\"}")),
        new SystemStore.Write("accounts", "a-1", bytes("plain")),
        new SystemStore.Write("instances", "i-1", bytes("{\"epoch\":5,\"value\":\"one\"}"))));
    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("one");
    assertThat(text(local.get("instances", "i-2").orElseThrow())).contains("two");
    assertThat(text(local.get("accounts", "a-1").orElseThrow())).isEqualTo("plain");
  }

  @Test
  void aBinaryEnvelopeIsFencedLikeAJsonOne() {
    store.put("fencing-epoch", "epoch", bytes("{\"epoch\":4}"));
    store.put("instances", "i-1", BinaryEnvelope.wrap(5, new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> store.put("instances", "i-1", BinaryEnvelope.wrap(4, new byte[] {9})))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("over one written under 5");
    assertThatThrownBy(() -> store.put("instances", "i-2", BinaryEnvelope.wrap(3, new byte[0])))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("epoch 4 was minted");
    assertThatThrownBy(() -> store.put("instances", "i-2", java.util.Arrays.copyOf(BinaryEnvelope.wrap(5, new byte[0]), 6)))
        .as("cut off in its epoch").isInstanceOf(IllegalArgumentException.class);
    store.put("instances", "i-1", BinaryEnvelope.wrap(5, new byte[] {7}));
    assertThat(BinaryEnvelope.valueOf(local.get("instances", "i-1").orElseThrow())).containsExactly(7);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
