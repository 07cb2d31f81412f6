package dev.canopy.cloud.metering.buckets;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.TableSource;
import dev.canopy.storage.usage.BucketUsage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Where the directory stores storage nodes' bucket usage pushes: grid map {@value #MAP}, written
 * through to the durable store (a put returns only once stored, so a 204 means kept). Blocking.
 */
public final class BucketUsagePushes {

  public static final String MAP = "bucket-usage";

  private final Table<BucketUsageRecord> records;
  private final InstantSource clock;

  public BucketUsagePushes(Table<BucketUsageRecord> records, InstantSource clock) {
    this.records = records;
    this.clock = clock;
  }

  public static BucketUsagePushes onGrid(TableSource grid, InstantSource clock) {
    return new BucketUsagePushes(grid.map(MAP, BucketUsageRecord.class), clock);
  }

  /** Stores a push, replacing the same hour and life's earlier one. */
  public void store(String incarnation, Instant hour, List<BucketUsage> usage) {
    records.put(BucketUsageRecord.key(hour, incarnation), new BucketUsageRecord(incarnation, hour, clock.instant(), usage));
  }

  Table<BucketUsageRecord> table() {
    return records;
  }
}
