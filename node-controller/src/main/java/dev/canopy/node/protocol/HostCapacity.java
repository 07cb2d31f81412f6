package dev.canopy.node.protocol;

/** What a node offers to instances in all, as it reports it at enrollment and in heartbeats. */
public record HostCapacity(int vcpus, long memoryMib, long diskGib) {

  public HostCapacity {
    if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
      throw new IllegalArgumentException("negative capacity");
    }
  }
}
