package dev.canopy.cloud.metering;

import java.util.Optional;

/** Which account owns an instance, as the controller's instance records say. */
@FunctionalInterface
public interface InstanceOwners {

  /** For tests and processes without instances: nobody is known. */
  InstanceOwners NONE = instanceId -> Optional.empty();

  /**
   * From the grid's instance records (a terminated instance is known until it is purged), each
   * answer remembered for a while: see {@link GridInstanceOwners}.
   */
  static InstanceOwners onGrid(dev.canopy.cloud.grid.Grid grid, dev.canopy.core.time.Time time) {
    return new GridInstanceOwners(grid, time);
  }

  /** Empty when the controller has no record of the instance (never launched here, or long terminated). */
  Optional<String> ownerOf(String instanceId);

  /**
   * The owners of those of {@code instanceIds} the controller has a record of, by instance id. A
   * batch names up to a host's instances: the grid answers them in one call, not one each. This
   * default asks one by one.
   */
  default java.util.Map<String, String> ownersOf(java.util.Collection<String> instanceIds) {
    java.util.Map<String, String> found = new java.util.TreeMap<>();
    for (String instanceId : instanceIds) {
      ownerOf(instanceId).ifPresent(owner -> found.put(instanceId, owner));
    }
    return found;
  }
}
