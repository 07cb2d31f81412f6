package dev.canopy.cloud.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.grid.Tables;
import dev.canopy.cloud.grid.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fenced writes on three controllers' members in one JVM. */
class FencedTableTest {

  private static final Duration NOTICE = Duration.ofSeconds(20);
  private static final String MAP = "placements";

  record Placement(String instanceId, String node, int generation) {}

  @TempDir Path dir;
  private TestCluster cluster;
  /** The epoch each member's writes carry, as the lease driver would supply it. */
  private final AtomicLong[] epochs = {new AtomicLong(1), new AtomicLong(1), new AtomicLong(1)};

  @BeforeEach
  void startMembers() {
    cluster = TestCluster.start(dir, 3);
  }

  @AfterEach
  void stopMembers() {
    cluster.close();
  }

  private FencedTable<Placement> table(int member) {
    return FencedTable.open(cluster.member(member), MAP, Placement.class, epochs[member]::get);
  }

  @Test
  void aLowerEpochIsRefusedAndTheEntryKeepsTheNewerValue() {
    Placement newer = new Placement("i-1", "node-b", 2);
    epochs[0].set(5);
    table(0).put("i-1", newer);
    epochs[1].set(4);
    assertThatThrownBy(() -> table(1).put("i-1", new Placement("i-1", "node-a", 1)))
        .isInstanceOfSatisfying(StaleEpochException.class, e -> {
          assertThat(e.entryEpoch()).isEqualTo(5);
          assertThat(e.writerEpoch()).isEqualTo(4);
          assertThat(e.key()).isEqualTo("i-1");
        });
    assertThat(table(2).get("i-1")).contains(newer);
    assertThat(table(2).epochOf("i-1")).hasValue(5);
  }

  @Test
  void anEqualOrHigherEpochWrites() {
    epochs[0].set(5);
    table(0).put("i-1", new Placement("i-1", "node-a", 1));
    table(0).put("i-1", new Placement("i-1", "node-a", 2));
    assertThat(table(1).get("i-1")).contains(new Placement("i-1", "node-a", 2));
    epochs[1].set(6);
    table(1).put("i-1", new Placement("i-1", "node-c", 3));
    assertThat(table(0).get("i-1")).contains(new Placement("i-1", "node-c", 3));
    assertThat(table(0).epochOf("i-1")).hasValue(6);
    assertThat(table(0).epochOf("i-2")).isEmpty();
  }

  @Test
  void aTableThatRemembersDecodingsReusesThemOnlyUntilAnyMemberChangesTheRecord() {
    FencedTable<Placement> remembering = FencedTable.open(cluster.member(0), MAP, Placement.class, epochs[0]::get,
        dev.canopy.core.cache.KeyedMemo.ofSize(64));
    remembering.put("i-1", new Placement("i-1", "node-a", 1));
    Placement read = remembering.get("i-1").orElseThrow();
    assertThat(remembering.get("i-1")).containsSame(read);
    assertThat(remembering.getAll(java.util.List.of("i-1"))).containsEntry("i-1", read);

    table(1).put("i-1", new Placement("i-1", "node-b", 2));
    assertThat(remembering.get("i-1")).contains(new Placement("i-1", "node-b", 2));
    assertThat(remembering.getAll(java.util.List.of("i-1"))).containsEntry("i-1", new Placement("i-1", "node-b", 2));
    // The same record under a newer epoch is a new stored text, decoded again, and equal.
    epochs[2].set(3);
    table(2).put("i-1", new Placement("i-1", "node-b", 2));
    assertThat(remembering.get("i-1")).contains(new Placement("i-1", "node-b", 2));
    table(2).remove("i-1");
    assertThat(remembering.get("i-1")).isEmpty();
  }

  @Test
  void everyKindOfWriteIsFenced() {
    epochs[0].set(7);
    FencedTable<Placement> holder = table(0);
    Placement first = new Placement("i-1", "node-a", 1);
    assertThat(holder.putIfAbsent("i-1", first)).isTrue();
    assertThat(holder.putIfAbsent("i-1", first)).isFalse();
    assertThat(Tables.update(holder, "i-1", p -> new Placement(p.instanceId(), "node-b", p.generation() + 1)))
        .contains(new Placement("i-1", "node-b", 2));
    assertThat(holder.replace("i-1", first, first)).as("compare-and-set on the record").isFalse();

    epochs[1].set(6);
    FencedTable<Placement> deposed = table(1);
    Placement current = new Placement("i-1", "node-b", 2);
    assertThatThrownBy(() -> deposed.putIfAbsent("i-1", first)).isInstanceOf(StaleEpochException.class);
    assertThatThrownBy(() -> deposed.replace("i-1", current, first)).isInstanceOf(StaleEpochException.class);
    assertThatThrownBy(() -> Tables.update(deposed, "i-1", p -> first)).isInstanceOf(StaleEpochException.class);
    assertThatThrownBy(() -> deposed.remove("i-1")).isInstanceOf(StaleEpochException.class);
    assertThat(holder.get("i-1")).contains(current);
    assertThat(holder.values(p -> true)).containsExactly(current);

    holder.remove("i-1");
    assertThat(deposed.get("i-1")).isEmpty();
  }

  @Test
  void theStoreHoldsTheRecordWithItsWritersEpoch() {
    epochs[0].set(3);
    table(0).put("i-1", new Placement("i-1", "node-a", 1));
    int owner = cluster.ownerOf("i-1", 0);
    String stored = new String(cluster.store(owner).get(MAP, "i-1").orElseThrow(), StandardCharsets.UTF_8);
    assertThat(stored).isEqualTo("{\"epoch\":3,\"value\":{\"instanceId\":\"i-1\",\"node\":\"node-a\",\"generation\":1}}");
  }

  @Test
  void aWriterWithoutAnEpochIsABug() {
    epochs[0].set(0);
    assertThatThrownBy(() -> table(0).put("i-1", new Placement("i-1", "node-a", 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMinorityCannotWriteOrRead() {
    epochs[2].set(2);
    FencedTable<Placement> survivor = table(2);
    survivor.put("i-1", new Placement("i-1", "node-a", 1));
    cluster.stop(0);
    cluster.crash(1);
    await().atMost(NOTICE).until(() -> !cluster.member(2).hasMajority());
    assertThatThrownBy(() -> survivor.put("i-1", new Placement("i-1", "node-b", 2)))
        .isInstanceOf(NoMajorityException.class);
    assertThatThrownBy(() -> survivor.get("i-1")).isInstanceOf(NoMajorityException.class);
  }
}
