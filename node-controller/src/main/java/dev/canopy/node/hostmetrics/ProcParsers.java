package dev.canopy.node.hostmetrics;

import dev.canopy.node.hostmetrics.HostCounters.CpuTicks;
import dev.canopy.node.hostmetrics.HostCounters.DiskCounters;
import dev.canopy.node.hostmetrics.HostCounters.MemoryFigures;
import dev.canopy.node.hostmetrics.HostCounters.NetCounters;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parsers of the four {@code /proc} files a reading needs, pure (text in, records out). A line they
 * do not understand is skipped, never fatal: kernels add columns and devices come and go.
 */
public final class ProcParsers {

  /** Devices whose traffic is not the host's: loopback and the guests' taps (libvirt names them vnetN). */
  private static final Pattern GUEST_OR_LOOPBACK = Pattern.compile("lo|vnet\\d+|tap.*|macvtap.*");
  /** Loop and RAM disks, and the kernel's compressed swap in RAM: no physical device behind them. */
  private static final Pattern VIRTUAL_DISK = Pattern.compile("(loop|ram|zram)\\d+");
  /**
   * Partitions, named as the kernel names them: a disk name and a number (sda1, vdb2, xvda1, hdc3),
   * or a {@code p} and a number after a name that ends in a digit (nvme0n1p1, mmcblk0p2); so whole
   * disks sda, nvme0n1, mmcblk0, md0 and dm-0 are kept.
   */
  private static final Pattern PARTITION = Pattern.compile("((s|v|xv|h)d[a-z]+\\d+)|((nvme\\d+n\\d+|mmcblk\\d+|md\\d+)p\\d+)");
  private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,32}");
  private static final int SECTOR_BYTES = 512;

  private ProcParsers() {}

  /** The aggregate {@code cpu} line of {@code /proc/stat}; null when there is none. */
  public static CpuTicks cpu(String procStat) {
    for (String line : procStat.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].equals("cpu")) {
        long[] v = new long[8];
        for (int i = 0; i < v.length && i + 1 < f.length; i++) {
          v[i] = number(f[i + 1]);
        }
        if (v[0] < 0 || v[2] < 0 || v[3] < 0) {
          return null;
        }
        return new CpuTicks(v[0], Math.max(0, v[1]), v[2], v[3], Math.max(0, v[4]), Math.max(0, v[5]), Math.max(0, v[6]), Math.max(0, v[7]));
      }
    }
    return null;
  }

  /** Total, available and swap from {@code /proc/meminfo} (kB there); null without MemTotal. */
  public static MemoryFigures memory(String procMeminfo) {
    Map<String, Long> kib = new TreeMap<>();
    for (String line : procMeminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] value = line.substring(colon + 1).trim().split("\\s+");
      long n = value.length == 0 ? -1 : number(value[0]);
      if (n >= 0) {
        kib.put(line.substring(0, colon).trim(), n);
      }
    }
    Long total = kib.get("MemTotal");
    if (total == null) {
      return null;
    }
    // Kernels before 3.14 have no MemAvailable: free plus page cache is what collectl used then.
    long available = kib.containsKey("MemAvailable") ? kib.get("MemAvailable")
        : kib.getOrDefault("MemFree", 0L) + kib.getOrDefault("Buffers", 0L) + kib.getOrDefault("Cached", 0L);
    return new MemoryFigures(total * 1024, Math.min(total, available) * 1024,
        kib.getOrDefault("SwapTotal", 0L) * 1024, kib.getOrDefault("SwapFree", 0L) * 1024);
  }

  /** Whole block devices of {@code /proc/diskstats}, without partitions, loop and RAM disks. */
  public static Map<String, DiskCounters> disks(String procDiskstats) {
    Map<String, DiskCounters> disks = new TreeMap<>();
    for (String line : procDiskstats.split("\n")) {
      // major minor name reads merged sectorsRead msReading writes merged sectorsWritten ...
      String[] f = line.trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      String name = f[2];
      if (!DEVICE_NAME.matcher(name).matches() || VIRTUAL_DISK.matcher(name).matches() || PARTITION.matcher(name).matches()) {
        continue;
      }
      long reads = number(f[3]);
      long readSectors = number(f[5]);
      long writes = number(f[7]);
      long writtenSectors = number(f[9]);
      if (reads >= 0 && readSectors >= 0 && writes >= 0 && writtenSectors >= 0) {
        disks.put(name, new DiskCounters(reads, readSectors, writes, writtenSectors));
      }
    }
    return disks;
  }

  /** Bytes per sector in {@code /proc/diskstats}, whatever the device's own sector size. */
  static long sectorBytes() {
    return SECTOR_BYTES;
  }

  /** The host's interfaces of {@code /proc/net/dev}, without loopback and the guests' taps. */
  public static Map<String, NetCounters> nets(String procNetDev) {
    Map<String, NetCounters> nets = new TreeMap<>();
    for (String line : procNetDev.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (!DEVICE_NAME.matcher(name).matches() || GUEST_OR_LOOPBACK.matcher(name).matches()) {
        continue;
      }
      // rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes packets ...
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      long rxBytes = number(f[0]);
      long rxPackets = number(f[1]);
      long txBytes = number(f[8]);
      long txPackets = number(f[9]);
      if (rxBytes >= 0 && rxPackets >= 0 && txBytes >= 0 && txPackets >= 0) {
        nets.put(name, new NetCounters(rxBytes, rxPackets, txBytes, txPackets));
      }
    }
    return nets;
  }

  /** A counter's decimal digits as a long; -1 when not digits, or past {@code Long.MAX_VALUE} (centuries of traffic). */
  private static long number(String text) {
    if (text.isEmpty() || text.length() > 20) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      long value = Long.parseUnsignedLong(text);
      return value < 0 ? -1 : value;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
