package dev.canopy.cloud.compute;

import dev.canopy.cloud.scheduler.Capacity;

/** One configured instance type: what an instance of it takes from a node. */
public record InstanceType(String name, int vcpus, int memoryMib, int diskGib) {

  public Capacity capacity() {
    return new Capacity(vcpus, memoryMib, diskGib);
  }
}
