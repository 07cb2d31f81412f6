package dev.canopy.cloud.grid;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionLostEvent;
import com.hazelcast.partition.PartitionLostListener;
import com.hazelcast.partition.PartitionService;
import dev.canopy.storage.local.SystemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back from the durable store the entries of a partition whose every in-memory copy was
 * lost, when more controllers fail at once than the maps keep backups of each entry (a set grown
 * by joins keeps the backup count it started with: docs/cluster.md). Nothing acknowledged was lost,
 * since every write is in the store before it returns, but Hazelcast starts such a partition
 * empty: queries and listings would miss its entries until a full restart, and only a read by key
 * (which asks the store about a key the grid lacks) would find them.
 *
 * <p>The oldest member reads each durable map's keys from the store and reads those of the lost
 * partition through the grid, so Hazelcast loads every one that is absent and leaves alone any
 * written since the loss. Off Hazelcast's event thread, one partition after another.
 */
final class PartitionRecovery implements PartitionLostListener {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionRecovery.class);
  /** Keys read back per grid call. */
  private static final int CHUNK = 1000;
  /** Tries while the store or the majority is away: waits of 1, 2, 4 and 8 s between them. */
  private static final int ATTEMPTS = 5;
  private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);

  private final HazelcastInstance hazelcast;
  private final SystemStore store;
  private final int backupCount;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "grid-partition-recovery");
    thread.setDaemon(true);
    return thread;
  });

  private PartitionRecovery(HazelcastInstance hazelcast, SystemStore store, int backupCount) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.backupCount = backupCount;
  }

  /** Watches {@code hazelcast}'s partitions for the loss of more copies than {@code backupCount} backups. */
  static void watch(HazelcastInstance hazelcast, SystemStore store, int backupCount) {
    hazelcast.getPartitionService().addPartitionLostListener(new PartitionRecovery(hazelcast, store, backupCount));
  }

  @Override
  public void partitionLost(PartitionLostEvent event) {
    // 0: the owner was lost and a backup took over; the data is gone only past the last backup.
    if (event.getLostBackupCount() >= backupCount) {
      worker.execute(() -> recover(event.getPartitionId(), 1));
    }
  }

  private void recover(int partitionId, int attempt) {
    try {
      recoverOnce(partitionId);
    } catch (RuntimeException e) {
      if (attempt == ATTEMPTS) {
        // Still readable by key (a miss asks the store); listings miss them until a full restart.
        LOG.error("grid partition {} lost every copy and could not be read back from the store: {}", partitionId, e.toString());
        return;
      }
      LOG.warn("grid partition {} lost every copy; reading it back failed, trying again: {}", partitionId, e.toString());
      worker.schedule(() -> recover(partitionId, attempt + 1), RETRY.toMillis() << (attempt - 1), TimeUnit.MILLISECONDS);
    }
  }

  private void recoverOnce(int partitionId) {
    // Every member hears of the loss; the oldest does the work. The partition may have no owner
    // yet when the event comes: the reads below wait for one, as any grid call does.
    if (!hazelcast.getCluster().getMembers().iterator().next().localMember()) {
      return;
    }
    PartitionService partitions = hazelcast.getPartitionService();
    int recovered = 0;
    for (DistributedObject object : hazelcast.getDistributedObjects()) {
      if (object instanceof IMap<?, ?> && !object.getName().startsWith(Grid.VOLATILE_PREFIX)) {
        recovered += recover(hazelcast.<String, String>getMap(object.getName()), partitions, partitionId);
      }
    }
    LOG.warn("grid partition {} lost every copy; {} entries read back from the store", partitionId, recovered);
  }

  private int recover(IMap<String, String> map, PartitionService partitions, int partitionId) {
    List<String> keys = new ArrayList<>();
    for (String key : store.loadAll(map.getName()).keySet()) {
      if (partitions.getPartition(key).getPartitionId() == partitionId) {
        keys.add(key);
      }
    }
    for (int from = 0; from < keys.size(); from += CHUNK) {
      map.getAll(new java.util.HashSet<>(keys.subList(from, Math.min(keys.size(), from + CHUNK))));
    }
    return keys.size();
  }
}
