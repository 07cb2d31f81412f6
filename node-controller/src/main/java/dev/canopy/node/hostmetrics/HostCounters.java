package dev.canopy.node.hostmetrics;

import java.util.Map;

/**
 * One reading of the host's counters as {@code /proc} shows them, before any rate is taken.
 *
 * @param atMillis when it was read (the injected clock)
 * @param cpu the aggregate {@code cpu} line of {@code /proc/stat}, in clock ticks; null when absent
 * @param memory null when {@code /proc/meminfo} lacks the fields
 */
public record HostCounters(long atMillis, CpuTicks cpu, MemoryFigures memory, Map<String, DiskCounters> disks,
    Map<String, NetCounters> nets) {

  public HostCounters {
    disks = Map.copyOf(disks);
    nets = Map.copyOf(nets);
  }

  /** Ticks spent in each state since boot; {@code steal} is 0 on kernels that do not report it. */
  public record CpuTicks(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {

    long total() {
      return user + nice + system + idle + iowait + irq + softirq + steal;
    }
  }

  /** Bytes. */
  public record MemoryFigures(long totalBytes, long availableBytes, long swapTotalBytes, long swapFreeBytes) {}

  /** Completed reads and writes and 512-byte sectors moved, since boot. */
  public record DiskCounters(long reads, long readSectors, long writes, long writtenSectors) {}

  /** Bytes and packets received and sent, since the interface appeared. */
  public record NetCounters(long rxBytes, long rxPackets, long txBytes, long txPackets) {}
}
