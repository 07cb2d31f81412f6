package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.s3.BucketRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid's start reads each map's records from the store once, not once per record: with the
 * storage role's endpoint as the store, every read is a round trip.
 */
class InitialLoadTest {

  @TempDir
  Path dir;

  @Test
  void aRestartLoadsEveryRecordWithoutReadingThemOneByOneAndLaterWritesReadTheStore() {
    int records = 300;
    try (LocalStore local = LocalStore.open(dir.resolve("store"))) {
      Table<BucketRecord> seeded = new StoreTables(local).map(GridMaps.BUCKETS, BucketRecord.class);
      for (int i = 0; i < records; i++) {
        seeded.put("bucket-" + i, bucket("bucket-" + i, "111122223333"));
      }
      CountingStore counting = new CountingStore(local);
      try (Grid grid = Grid.startStandalone("initial-load-" + System.nanoTime(), "127.0.0.1", 5701, counting)) {
        GridBucketRegistry buckets = new GridBucketRegistry(grid);
        assertThat(buckets.listByOwner("111122223333")).hasSize(records);
        assertThat(counting.singleReads.get()).as("single-record reads during the initial load").isZero();

        // After the load, the map is the grid's: a write goes through, and a record changed in the
        // store behind the grid's back is not overwritten by anything left over from the load.
        buckets.delete("bucket-0");
        assertThat(local.get(GridMaps.BUCKETS, "bucket-0")).isEmpty();
        assertThat(buckets.create(bucket("bucket-0", "444455556666"))).isTrue();
        assertThat(buckets.find("bucket-0")).map(BucketRecord::ownerAccountId).contains("444455556666");
      }
      try (Grid again = Grid.startStandalone("initial-load-" + System.nanoTime(), "127.0.0.1", 5701, local)) {
        assertThat(new GridBucketRegistry(again).find("bucket-0")).map(BucketRecord::ownerAccountId).contains("444455556666");
        assertThat(new GridBucketRegistry(again).listByOwner("111122223333")).hasSize(records - 1);
      }
    }
  }

  @Test
  void preloadedMapsAreReadFromTheStoreOnceAndTheirServicesFindThemLoaded() throws Exception {
    List<String> names = List.of(GridMaps.BUCKETS, GridMaps.ACCOUNTS, "key-pairs");
    try (LocalStore local = LocalStore.open(dir.resolve("store"))) {
      for (String name : names) {
        Table<BucketRecord> seeded = new StoreTables(local).map(name, BucketRecord.class);
        for (int i = 0; i < 20; i++) {
          seeded.put("record-" + i, bucket("record-" + i, "111122223333"));
        }
      }
      CountingStore counting = new CountingStore(local);
      try (Grid grid = Grid.startStandalone("preload-" + System.nanoTime(), "127.0.0.1", 5701, counting)) {
        grid.preload(names);
        for (String name : names) {
          assertThat(counting.namespaceReads.get(name)).as("reads of %s by the preload", name).hasValue(1);
        }
        for (String name : names) {
          assertThat(grid.map(name, BucketRecord.class).get("record-19")).map(BucketRecord::name).contains("record-19");
          assertThat(counting.namespaceReads.get(name)).as("reads of %s once its service opened it", name).hasValue(1);
        }
        assertThat(counting.singleReads.get()).isZero();
      }
    }
  }

  @Test
  void keysTheInitialLoadDoesNotHoldAreReadInOneBatchNotOneByOne() {
    try (LocalStore local = LocalStore.open(dir.resolve("store"))) {
      local.put("ns", "a", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      CountingStore counting = new CountingStore(local);
      StoreBackedMapStore mapStore = new StoreBackedMapStore(counting, "ns");
      assertThat(mapStore.loadAllKeys()).containsExactly("a");
      local.put("ns", "b", "2".getBytes(java.nio.charset.StandardCharsets.UTF_8));

      assertThat(mapStore.loadAll(List.of("a", "b", "absent"))).containsOnly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"));
      assertThat(counting.singleReads).hasValue(0);
      assertThat(counting.batchReads).as("b and absent in one read").hasValue(1);
    }
  }

  private static BucketRecord bucket(String name, String owner) {
    return new BucketRecord(name, owner, Instant.parse("2026-12-05T10:00:00Z"), "canopy-1");
  }
}
