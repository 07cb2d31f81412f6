package dev.canopy.cloud.metering;

import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import java.util.Optional;

/**
 * Owners from the grid's instance records. The map is fenced (only the lease holder writes it), and
 * this view only reads it, so its writer epoch refuses every write.
 */
final class GridInstanceOwners implements InstanceOwners {

  private final Grid grid;
  private volatile Table<Instance> instances;

  GridInstanceOwners(Grid grid) {
    this.grid = grid;
  }

  @Override
  public Optional<String> ownerOf(String instanceId) {
    return table().get(instanceId).map(Instance::ownerId);
  }

  /** One grid call ({@code getAll}): the records live on several members, asked together. */
  @Override
  public java.util.Map<String, String> ownersOf(java.util.Collection<String> instanceIds) {
    java.util.Map<String, String> found = new java.util.TreeMap<>();
    if (!instanceIds.isEmpty()) {
      table().getAll(instanceIds).forEach((id, instance) -> found.put(id, instance.ownerId()));
    }
    return found;
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
