package dev.canopy.node.hypervisor;

import java.util.List;

/**
 * One running domain's counters at one moment.
 *
 * @param cpuTimeNanos CPU time the guest used since its qemu process started (cumulative)
 * @param memoryKib memory the guest holds now (a gauge, not a counter)
 * @param nics each vNIC that has a host-side device
 */
public record GuestStats(long cpuTimeNanos, long memoryKib, List<NicStats> nics) {

  public GuestStats {
    if (cpuTimeNanos < 0 || memoryKib < 0) {
      throw new IllegalArgumentException("CPU time and memory are never negative");
    }
    nics = List.copyOf(nics);
  }
}
