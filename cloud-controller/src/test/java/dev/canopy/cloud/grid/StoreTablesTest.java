package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.s3.BucketRecord;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records seeded without a grid are the grid's records: same key, same JSON, loaded at its start. */
class StoreTablesTest {

  @TempDir
  Path dir;

  private static final BucketRecord BUCKET = new BucketRecord("seeded", "111122223333", Instant.parse("2026-12-05T10:00:00Z"), "canopy-1");

  @Test
  void whatIsSeededInTheStoreIsWhatTheGridLoadsAndTheOtherWayRound() {
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      Table<BucketRecord> seeded = new StoreTables(store).map(GridMaps.BUCKETS, BucketRecord.class);
      assertThat(seeded.putIfAbsent(BUCKET.name(), BUCKET)).isTrue();

      try (Grid grid = Grid.startStandalone("store-tables-" + System.nanoTime(), "127.0.0.1", 5701, store)) {
        assertThat(new GridBucketRegistry(grid).find("seeded")).contains(BUCKET);
        BucketRecord later = new BucketRecord("written-by-the-grid", "111122223333", BUCKET.createdAt(), "canopy-1");
        assertThat(new GridBucketRegistry(grid).create(later)).isTrue();
        // Written through by the grid, read back without it.
        assertThat(seeded.get("written-by-the-grid")).contains(later);
      }
    }
  }

  @Test
  void compareAndSetOperationsKeepTheirPromises() {
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      Table<BucketRecord> table = new StoreTables(store).map("cas", BucketRecord.class);
      BucketRecord other = new BucketRecord("seeded", "444455556666", BUCKET.createdAt(), "canopy-1");

      assertThat(table.putIfAbsent("k", BUCKET)).isTrue();
      assertThat(table.putIfAbsent("k", other)).isFalse();
      assertThat(table.get("k")).contains(BUCKET);
      assertThat(table.replace("k", other, BUCKET)).as("replace with a stale expectation").isFalse();
      assertThat(table.replace("k", BUCKET, other)).isTrue();
      assertThat(table.get("k")).contains(other);
      assertThat(table.replace("absent", BUCKET, other)).isFalse();
      assertThat(table.values(b -> b.ownerAccountId().equals("444455556666"))).containsExactly(other);
      table.remove("k");
      assertThat(table.get("k")).isEmpty();
      assertThat(table.values(b -> true)).isEmpty();
    }
  }
}
