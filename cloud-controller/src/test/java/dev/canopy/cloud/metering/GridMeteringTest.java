package dev.canopy.cloud.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import dev.canopy.core.time.ManualTime;
import dev.canopy.core.time.SystemTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as the controller wires it ({@link MeteringService#onGrid}): batches in the grid's
 * durable map, owners read from the fenced instance records the lease holder writes, and all of it
 * back after a restart.
 */
class GridMeteringTest {

  private static final String VM = "i-0000000000000000a";
  private static final String ACME = "111122223333";

  @TempDir Path dir;

  @Test
  void ownersComeFromTheFencedInstanceRecordsAndBatchesSurviveARestart() {
    String cluster = "metering-" + System.nanoTime();
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      try (Grid grid = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
        FencedTable.open(grid, InstanceService.INSTANCES_MAP, Instance.class, () -> 1).put(VM, running(VM, ACME));
        MeteringService metering = MeteringService.onGrid(grid, SystemTime.INSTANCE);

        assertThat(metering.ingest(batch("1-aa", 10_000))).isTrue();
        assertThat(metering.ingest(batch("1-aa", 10_000))).as("a resend").isFalse();
        assertThat(metering.ofAccount(ACME, TimeRange.ALL).samples()).hasSize(1);
      }
      try (Grid restarted = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
        MeteringService metering = MeteringService.onGrid(restarted, SystemTime.INSTANCE);
        assertThat(metering.ofInstance(VM, TimeRange.ALL).samples()).hasSize(1);
        assertThat(metering.ofAccount(ACME, TimeRange.ALL).samples()).as("the owner was stored with the batch").hasSize(1);
        assertThat(metering.ingest(batch("1-aa", 10_000))).as("still a resend after the restart").isFalse();
      }
    }
  }

  @Test
  void aBatchOfSeveralInstancesGetsTheOwnersOfThoseTheGridKnows() {
    String cluster = "metering-" + System.nanoTime();
    try (LocalStore store = LocalStore.open(dir.resolve("store"));
        Grid grid = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
      FencedTable<Instance> instances = FencedTable.open(grid, InstanceService.INSTANCES_MAP, Instance.class, () -> 1);
      String other = "i-0000000000000000b";
      String unknown = "i-0000000000000000c";
      instances.put(VM, running(VM, ACME));
      instances.put(other, running(other, "444455556666"));

      assertThat(InstanceOwners.onGrid(grid, SystemTime.INSTANCE).ownersOf(List.of(VM, other, unknown)))
          .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(VM, ACME, other, "444455556666"));
      assertThat(InstanceOwners.onGrid(grid, SystemTime.INSTANCE).ownersOf(List.of())).isEmpty();

      var samples = JsonNodeFactory.instance.arrayNode();
      for (String id : List.of(VM, other, unknown, VM)) {
        samples.add(JsonNodeFactory.instance.objectNode().put("instanceId", id).put("timestampMs", 10_000).put("intervalMs", 10_000)
            .put("cpuTimeNanos", 5).put("memoryKib", 1));
      }
      MeteringService metering = MeteringService.onGrid(grid, SystemTime.INSTANCE);
      assertThat(metering.ingest(new SampleBatch("nd-1", "2-bb", samples))).isTrue();
      assertThat(metering.ofAccount(ACME, TimeRange.ALL).samples()).hasSize(2);
      assertThat(metering.ofAccount("444455556666", TimeRange.ALL).samples()).hasSize(1);
    }
  }

  @Test
  void anOwnerIsRememberedPastThePurgeAndAnUnknownIdForAMinute() {
    String cluster = "metering-" + System.nanoTime();
    ManualTime time = new ManualTime();
    try (LocalStore store = LocalStore.open(dir.resolve("store"));
        Grid grid = Grid.startStandalone(cluster, "127.0.0.1", 5701, store)) {
      FencedTable<Instance> instances = FencedTable.open(grid, InstanceService.INSTANCES_MAP, Instance.class, () -> 1);
      String unknown = "i-0000000000000000c";
      instances.put(VM, running(VM, ACME));
      InstanceOwners owners = InstanceOwners.onGrid(grid, time);

      assertThat(owners.ownersOf(List.of(VM, unknown))).containsExactlyEntriesOf(java.util.Map.of(VM, ACME));
      instances.remove(VM);
      // Not a real sequence (ids are never reused): it shows that the unknown answer was kept.
      instances.put(unknown, running(unknown, ACME));
      assertThat(owners.ownersOf(List.of(VM, unknown))).as("purged, still its owner's; unknown a minute ago")
          .containsExactlyEntriesOf(java.util.Map.of(VM, ACME));
      assertThat(owners.ownerOf(VM)).contains(ACME);

      time.advance(Duration.ofMinutes(1));
      assertThat(owners.ownersOf(List.of(VM, unknown))).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(VM, ACME, unknown, ACME));
      time.advance(Duration.ofHours(1));
      assertThat(owners.ownerOf(VM)).as("after an hour the purged record is asked again").isEmpty();
    }
  }

  private static SampleBatch batch(String batchId, long timestampMs) {
    return new SampleBatch("nd-1", batchId, JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()
        .put("instanceId", VM).put("timestampMs", timestampMs).put("intervalMs", 10_000).put("cpuTimeNanos", 5).put("memoryKib", 1)));
  }

  private static Instance running(String instanceId, String ownerId) {
    return new Instance(instanceId, "r-0000000000000000a", ownerId, "ami-0000000000000000a", "t3.micro", InstanceState.RUNNING, null,
        "", null, List.of(), "canopy-1a", "nd-1", 1, "10.211.0.5", "52:54:00:00:0a:01", Instant.parse("2026-01-01T00:00:00Z"), null,
        null, 0, null, null, null, false, null);
  }
}
