package dev.canopy.storage.s3;

import dev.canopy.storage.local.StoreException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The registry for tests: the controller's grid-backed one behaves the same, durably. */
final class InMemoryBucketRegistry implements BucketRegistry {

  private final ConcurrentMap<String, BucketRecord> buckets = new ConcurrentHashMap<>();
  private volatile boolean failWrites;

  /** From now on creations and deletions fail as the grid's do when its durable store is down (true), or work again. */
  void failWrites(boolean fail) {
    failWrites = fail;
  }

  @Override
  public Optional<BucketRecord> find(String name) {
    return Optional.ofNullable(buckets.get(name));
  }

  @Override
  public boolean create(BucketRecord bucket) {
    checkWritable();
    return buckets.putIfAbsent(bucket.name(), bucket) == null;
  }

  @Override
  public void delete(String name) {
    checkWritable();
    buckets.remove(name);
  }

  @Override
  public List<BucketRecord> listByOwner(String accountId) {
    return buckets.values().stream()
        .filter(b -> b.ownerAccountId().equals(accountId))
        .sorted(Comparator.comparing(BucketRecord::name))
        .toList();
  }

  private void checkWritable() {
    if (failWrites) {
      throw new StoreException("simulated: the registry's durable store is unreachable", null);
    }
  }
}
