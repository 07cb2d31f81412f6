package dev.canopy.cloud.grid;

import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The bucket registry on the grid: names are cloud-wide, creation is an atomic putIfAbsent. */
public final class GridBucketRegistry implements BucketRegistry {

  private final Table<BucketRecord> buckets;

  public GridBucketRegistry(TableSource grid) {
    this.buckets = grid.map(GridMaps.BUCKETS, BucketRecord.class);
  }

  @Override
  public Optional<BucketRecord> find(String name) {
    return buckets.get(name);
  }

  @Override
  public boolean create(BucketRecord bucket) {
    return buckets.putIfAbsent(bucket.name(), bucket);
  }

  @Override
  public void delete(String name) {
    buckets.remove(name);
  }

  @Override
  public void delete(String name, String id) {
    // Compared with the whole stored record, so a re-creation between the read and the remove wins.
    buckets.get(name).filter(current -> current.id().equals(id)).ifPresent(current -> buckets.remove(name, current));
  }

  /** Every registered bucket, for metering (one record per bucket, small). */
  public List<BucketRecord> all() {
    return buckets.values(b -> true);
  }

  @Override
  public List<BucketRecord> listByOwner(String accountId) {
    return buckets.values(b -> b.ownerAccountId().equals(accountId)).stream()
        .sorted(Comparator.comparing(BucketRecord::name))
        .toList();
  }
}
