package dev.canopy.cloud.directory;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a controller's directory serves, in memory: keys, buckets and change counters that move
 * on every write, as the grid's listeners make them. Can be told to fail like a grid that lost
 * its store.
 */
final class MemoryDirectory {

  private final Map<String, Credential> keys = new ConcurrentHashMap<>();
  private final Map<String, BucketRecord> buckets = new ConcurrentHashMap<>();
  private final AtomicLong keyChanges = new AtomicLong();
  private final AtomicLong bucketChanges = new AtomicLong();
  private volatile boolean failing;

  void add(Credential credential) {
    keys.put(credential.accessKeyId(), credential);
    keyChanges.incrementAndGet();
  }

  void remove(Credential credential) {
    keys.remove(credential.accessKeyId());
    keyChanges.incrementAndGet();
  }

  void failing(boolean fail) {
    failing = fail;
  }

  private void check() {
    if (failing) {
      throw new StoreException("the test store is down", null);
    }
  }

  CredentialLookup credentials() {
    return id -> {
      check();
      return Optional.ofNullable(keys.get(id));
    };
  }

  DirectoryChanges changes() {
    return new DirectoryChanges() {
      @Override
      public long credentials() {
        return keyChanges.get();
      }

      @Override
      public long buckets() {
        return bucketChanges.get();
      }
    };
  }

  BucketRegistry buckets() {
    return new BucketRegistry() {
      @Override
      public Optional<BucketRecord> find(String name) {
        check();
        return Optional.ofNullable(buckets.get(name));
      }

      @Override
      public boolean create(BucketRecord bucket) {
        check();
        boolean created = buckets.putIfAbsent(bucket.name(), bucket) == null;
        bucketChanges.incrementAndGet();
        return created;
      }

      @Override
      public void delete(String name) {
        check();
        buckets.remove(name);
        bucketChanges.incrementAndGet();
      }

      @Override
      public List<BucketRecord> listByOwner(String accountId) {
        check();
        return buckets.values().stream().filter(b -> b.ownerAccountId().equals(accountId))
            .sorted(Comparator.comparing(BucketRecord::name)).toList();
      }
    };
  }
}
