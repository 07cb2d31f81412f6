package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.s3.BucketRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Hazelcast member over the real RocksDB store: write-through, failure, reload. */
class GridTest {

  @TempDir Path dir;

  @Test
  void writesGoThroughToTheStoreAndSurviveARestart() {
    BucketRecord photos = new BucketRecord("photos", "123456789012", Instant.parse("2026-11-26T07:00:00Z"), "canopy-1");
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, store)) {
        GridBucketRegistry buckets = new GridBucketRegistry(grid);
        assertThat(buckets.create(photos)).isTrue();
        assertThat(buckets.create(photos)).as("names are unique").isFalse();
        assertThat(store.get(GridMaps.BUCKETS, "photos")).isPresent();
      }
      try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, store)) {
        GridBucketRegistry buckets = new GridBucketRegistry(grid);
        assertThat(buckets.find("photos")).contains(photos);
        assertThat(buckets.listByOwner("123456789012")).containsExactly(photos);
        buckets.delete("photos");
        assertThat(store.get(GridMaps.BUCKETS, "photos")).isEmpty();
      }
    }
  }

  @Test
  void aFailedDurableWriteFailsThePutAndLeavesTheMapUnchanged() {
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      FlakyStore flaky = new FlakyStore(store);
      try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, flaky)) {
        GridBucketRegistry buckets = new GridBucketRegistry(grid);
        flaky.failWrites(true);
        BucketRecord lost = new BucketRecord("lost", "123456789012", Instant.now(), "canopy-1");
        assertThatThrownBy(() -> buckets.create(lost)).hasMessageContaining("no space left");
        assertThat(buckets.find("lost")).isEmpty();
        flaky.failWrites(false);
        assertThat(buckets.create(lost)).isTrue();
        assertThat(buckets.find("lost")).contains(lost);
      }
    }
  }

  @Test
  void removeAllDeletesEveryKeyFromTheMapAndTheStoreAndAFailedDeleteFailsIt() {
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      FlakyStore flaky = new FlakyStore(store);
      try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701, flaky)) {
        JsonMap<BucketRecord> map = grid.map("remove-all", BucketRecord.class);
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
          keys.add("b" + i);
          map.put("b" + i, new BucketRecord("b" + i, "123456789012", Instant.parse("2026-11-26T07:00:00Z"), "canopy-1"));
        }
        map.removeAll(keys.subList(0, 30));
        assertThat(map.values(b -> true)).extracting(BucketRecord::name).containsExactlyInAnyOrderElementsOf(keys.subList(30, 40));
        assertThat(store.loadAll("remove-all")).containsOnlyKeys(keys.subList(30, 40));

        flaky.failWrites(true);
        assertThatThrownBy(() -> map.removeAll(keys.subList(30, 40))).hasMessageContaining("no space left");
        flaky.failWrites(false);
        assertThat(store.loadAll("remove-all")).as("a failed delete leaves the record durable").hasSize(10);
      }
    }
  }
}
