package dev.canopy.storage.s3;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The registry for tests: the controller's grid-backed one behaves the same, durably. */
final class InMemoryBucketRegistry implements BucketRegistry {

  private final ConcurrentMap<String, BucketRecord> buckets = new ConcurrentHashMap<>();

  @Override
  public Optional<BucketRecord> find(String name) {
    return Optional.ofNullable(buckets.get(name));
  }

  @Override
  public boolean create(BucketRecord bucket) {
    return buckets.putIfAbsent(bucket.name(), bucket) == null;
  }

  @Override
  public void delete(String name) {
    buckets.remove(name);
  }

  @Override
  public List<BucketRecord> listByOwner(String accountId) {
    return buckets.values().stream()
        .filter(b -> b.ownerAccountId().equals(accountId))
        .sorted(Comparator.comparing(BucketRecord::name))
        .toList();
  }
}
