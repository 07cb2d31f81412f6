package dev.canopy.node.protocol;

import java.util.Map;

/**
 * One reading of a node's host, collectl-style, as the agent sends it every 10 s
 * ({@link AgentMessages#HOST_SAMPLES}): rates over the {@code intervalSeconds} that ended at
 * {@code second}. CPU shares are fractions of all CPUs' time (they add up to about 1); memory is
 * what {@code /proc/meminfo} says at the end of the interval; disks and interfaces are rates per
 * second, keyed by device name. A device first seen in this interval has no entry yet (no
 * baseline), nor has one whose counters went backwards (reset).
 */
public record HostSample(
    long second,
    int intervalSeconds,
    Cpu cpu,
    Memory memory,
    Map<String, Disk> disks,
    Map<String, Net> nets) {

  public HostSample {
    disks = disks == null ? Map.of() : Map.copyOf(disks);
    nets = nets == null ? Map.of() : Map.copyOf(nets);
  }

  /** Fractions of the interval's CPU time; null when the interval had none (no previous reading). */
  public record Cpu(double user, double system, double iowait, double steal, double idle) {}

  /** Bytes. {@code used} is total minus available (what the kernel could not hand out without swapping). */
  public record Memory(long totalBytes, long availableBytes, long usedBytes, long swapUsedBytes) {}

  /** Per second. */
  public record Disk(double readBytes, double writeBytes, double reads, double writes) {}

  /** Per second. */
  public record Net(double rxBytes, double txBytes, double rxPackets, double txPackets) {}
}
