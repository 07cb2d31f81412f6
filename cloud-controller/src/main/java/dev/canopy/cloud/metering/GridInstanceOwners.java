package dev.canopy.cloud.metering;

import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import dev.canopy.core.cache.ExpiringCache;
import dev.canopy.core.time.Time;
import java.time.Duration;
import java.util.Optional;

/**
 * Owners from the grid's instance records, remembered. The map is fenced (only the lease holder
 * writes it), and this view only reads it, so its writer epoch refuses every write.
 *
 * <p>Ingest asks about every instance of every batch. An instance's owner never changes, so a found
 * owner is kept for an hour, even past the record's purge (a late sample still goes to the account
 * that ran the instance). An id the grid does not know is kept as unknown for a minute: the grid
 * asks the durable store about every key it lacks, so each such lookup was a quorum read of the
 * replicated store, and ids are never reused, so an unknown one stays unknown.
 */
final class GridInstanceOwners implements InstanceOwners {

  /** About 200 bytes each: a third of a 20,000-host cloud's instances, per controller. */
  static final int REMEMBERED_MAX = 65_536;
  static final Duration OWNER_KEPT = Duration.ofHours(1);
  static final Duration UNKNOWN_KEPT = Duration.ofMinutes(1);

  private final Grid grid;
  private final ExpiringCache<String> owners;
  private volatile Table<Instance> instances;

  GridInstanceOwners(Grid grid, Time time) {
    this.grid = grid;
    this.owners = new ExpiringCache<>(time, REMEMBERED_MAX, OWNER_KEPT, UNKNOWN_KEPT);
  }

  @Override
  public Optional<String> ownerOf(String instanceId) {
    return owners.get(instanceId, id -> table().get(id).map(Instance::ownerId));
  }

  /** Those not remembered in one grid call ({@code getAll}): the records live on several members, asked together. */
  @Override
  public java.util.Map<String, String> ownersOf(java.util.Collection<String> instanceIds) {
    return new java.util.TreeMap<>(owners.getAll(instanceIds, missing -> {
      java.util.Map<String, String> found = new java.util.HashMap<>();
      table().getAll(missing).forEach((id, instance) -> found.put(id, instance.ownerId()));
      return found;
    }));
  }

  /** Opened at the first lookup, not at start: opening is refused while the member sees no majority. */
  private Table<Instance> table() {
    Table<Instance> opened = instances;
    if (opened == null) {
      opened = FencedTable.open(grid, InstanceService.INSTANCES_MAP, Instance.class, () -> {
        throw new IllegalStateException("metering never writes instance records");
      });
      instances = opened;
    }
    return opened;
  }
}
