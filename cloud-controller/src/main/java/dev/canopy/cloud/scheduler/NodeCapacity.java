package dev.canopy.cloud.scheduler;

/**
 * The capacity accounted on one node: what it offers and what instances have reserved. The
 * invariant {@code total.fits(used)} holds after every write (the ledger's compare-and-set
 * guarantees it under concurrency).
 */
public record NodeCapacity(String nodeId, Capacity total, Capacity used) {

  public Capacity free() {
    // total may shrink below used when a node re-reports less; free is then zero, never negative.
    return new Capacity(
        Math.max(0, total.vcpus() - used.vcpus()),
        Math.max(0, total.memoryMib() - used.memoryMib()),
        Math.max(0, total.diskGib() - used.diskGib()));
  }
}
