package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.local.LocalStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durable store's fencing when writers race, as they do when a deposed controller wakes up
 * while the new leader writes: over a real RocksDB store, whatever the interleaving, the record
 * left is the newest epoch's and no refused write left a trace.
 */
class EpochFencedStoreRacesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROUNDS = 60;
  private static final int WRITERS = 4;

  @TempDir Path dir;
  private LocalStore local;
  private EpochFencedStore store;
  private ExecutorService pool;

  @BeforeEach
  void open() {
    local = LocalStore.open(dir.resolve("store"));
    store = new EpochFencedStore(local, "fencing-epoch", "epoch", Set.of("instances"));
    pool = Executors.newFixedThreadPool(WRITERS);
  }

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    local.close();
  }

  @Test
  void racingWritersOfOneRecordAlwaysLeaveTheNewestEpochsValue() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String key = "i-" + round;
      CyclicBarrier start = new CyclicBarrier(WRITERS);
      List<Future<Boolean>> writes = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        // Epochs 1..WRITERS, started in an order that differs from round to round.
        long epoch = 1 + Math.floorMod(w + round, WRITERS);
        writes.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          try {
            store.put("instances", key, record(epoch, "written under " + epoch));
            return true;
          } catch (EpochFencedStore.StaleEpochWrite refused) {
            return false;
          }
        }));
      }
      for (Future<Boolean> write : writes) {
        write.get(30, TimeUnit.SECONDS);
      }

      assertThat(epochOf(local.get("instances", key).orElseThrow()))
          .as("round %d: an older writer must never overwrite a newer one", round).isEqualTo(WRITERS);
    }
  }

  @Test
  void aLeaderMintingEpochsWhileADeposedOneWritesNeverLeavesTheDeposedOnesRecordOverANewerOne() throws Exception {
    store.put("fencing-epoch", "epoch", record(1, "minted"));
    for (int round = 0; round < ROUNDS; round++) {
      String key = "i-" + round;
      long deposed = 1 + round;
      long leader = 2 + round;
      CyclicBarrier start = new CyclicBarrier(2);
      Future<?> minting = pool.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        store.put("fencing-epoch", "epoch", record(leader, "minted"));
        store.put("instances", key, record(leader, "leader"));
        return null;
      });
      Future<Boolean> stale = pool.submit(() -> {
        start.await(30, TimeUnit.SECONDS);
        try {
          store.put("instances", key, record(deposed, "deposed"));
          return true;
        } catch (EpochFencedStore.StaleEpochWrite refused) {
          return false;
        }
      });
      minting.get(30, TimeUnit.SECONDS);
      stale.get(30, TimeUnit.SECONDS);

      assertThat(text(local.get("instances", key).orElseThrow())).as("round %d", round).contains("leader");
    }
  }

  @Test
  void aWriteUnderExactlyTheMintedEpochIsTheLeadersOwnAndPasses() {
    store.put("fencing-epoch", "epoch", record(6, "minted"));

    store.put("instances", "i-1", record(6, "first"));
    store.put("instances", "i-1", record(6, "second"));

    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("second");
  }

  @Test
  void beforeAnyEpochIsMintedEveryFencedRecordPassesAndSetsItsOwnFloor() {
    store.put("instances", "i-1", record(0, "bootstrap"));
    store.put("instances", "i-1", record(3, "later"));

    assertThatThrownBy(() -> store.put("instances", "i-1", record(2, "older")))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class).hasMessageContaining("over one written under 3");
    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("later");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"epoch\":\"7\",\"value\":{}}", "{\"epoch\":7.5,\"value\":{}}", "{\"epoch\":-1,\"value\":{}}",
      "{\"epoch\":null,\"value\":{}}", "[7]", "7", ""})
  void anEnvelopeWhoseEpochIsNotAWholeNonNegativeNumberIsRefusedAndNothingIsWritten(String value) {
    store.put("instances", "i-1", record(2, "kept"));

    assertThatThrownBy(() -> store.put("instances", "i-1", value.getBytes(StandardCharsets.UTF_8)))
        .as(value).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances/i-1");
    assertThatThrownBy(() -> store.put("fencing-epoch", "epoch", value.getBytes(StandardCharsets.UTF_8)))
        .as(value).isInstanceOf(IllegalArgumentException.class);
    assertThat(text(local.get("instances", "i-1").orElseThrow())).contains("kept");
    assertThat(local.get("fencing-epoch", "epoch")).isEmpty();
  }

  @Test
  void theEpochRecordIsOnlyFencedUnderItsOwnKey() throws Exception {
    store.put("fencing-epoch", "epoch", record(9, "minted"));

    // Another key in the epoch's namespace is not a fenced record: it passes as written.
    store.put("fencing-epoch", "notes", "anything at all".getBytes(StandardCharsets.UTF_8));
    // And the epoch key in another namespace is not the epoch record.
    store.put("accounts", "epoch", record(1, "an account called epoch"));

    assertThat(local.get("fencing-epoch", "notes")).isPresent();
    assertThat(text(local.get("accounts", "epoch").orElseThrow())).contains("an account called epoch");
    assertThat(epochOf(local.get("fencing-epoch", "epoch").orElseThrow())).isEqualTo(9);
  }

  private static byte[] record(long epoch, String note) {
    return JSON.createObjectNode().put("epoch", epoch).set("value", JSON.createObjectNode().put("note", note))
        .toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long epochOf(byte[] value) throws Exception {
    return JSON.readTree(value).path("epoch").asLong();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
