package dev.canopy.node.hostmetrics;

import dev.canopy.node.hostmetrics.HostCounters.CpuTicks;
import dev.canopy.node.hostmetrics.HostCounters.DiskCounters;
import dev.canopy.node.hostmetrics.HostCounters.NetCounters;
import dev.canopy.node.protocol.HostSample;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns two readings of the host's counters into one {@link HostSample}, pure.
 *
 * <p>Counters only grow, except when they wrap or are reset. {@code /proc/net/dev} and
 * {@code /proc/diskstats} print the kernel's {@code unsigned long}, 32 bits wide on 32-bit kernels:
 * a value that falls from the upper half of the 32-bit range to a smaller one wrapped, and the delta
 * is counted across 2^32. Any other fall is a reset (a driver reloaded, an interface re-created under
 * the same name): the device has no rate for that interval, since the traffic before the reset is
 * unknown, and the next interval starts from the new value. A device not in the earlier reading
 * (hot-plugged, a bridge just created) gets its first rate in the next interval.
 */
public final class HostRates {

  private static final long WRAP_32 = 1L << 32;

  private HostRates() {}

  /**
   * @param earlier the previous reading; empty for the first one, which has no rates, only memory
   * @return the sample for the interval that ended at {@code later}; empty when the clock did not advance
   */
  public static Optional<HostSample> between(Optional<HostCounters> earlier, HostCounters later) {
    long second = Math.floorDiv(later.atMillis(), 1000);
    if (earlier.isEmpty()) {
      return Optional.of(new HostSample(second, 0, null, memory(later), Map.of(), Map.of()));
    }
    HostCounters before = earlier.get();
    long millis = later.atMillis() - before.atMillis();
    if (millis <= 0) {
      return Optional.empty();
    }
    double seconds = millis / 1000.0;
    Map<String, HostSample.Disk> disks = new TreeMap<>();
    later.disks().forEach((name, now) -> {
      DiskCounters then = before.disks().get(name);
      if (then == null) {
        return;
      }
      long reads = delta(then.reads(), now.reads());
      long readSectors = delta(then.readSectors(), now.readSectors());
      long writes = delta(then.writes(), now.writes());
      long writtenSectors = delta(then.writtenSectors(), now.writtenSectors());
      if (reads >= 0 && readSectors >= 0 && writes >= 0 && writtenSectors >= 0) {
        long sector = ProcParsers.sectorBytes();
        disks.put(name, new HostSample.Disk(readSectors * sector / seconds, writtenSectors * sector / seconds,
            reads / seconds, writes / seconds));
      }
    });
    Map<String, HostSample.Net> nets = new TreeMap<>();
    later.nets().forEach((name, now) -> {
      NetCounters then = before.nets().get(name);
      if (then == null) {
        return;
      }
      long rxBytes = delta(then.rxBytes(), now.rxBytes());
      long txBytes = delta(then.txBytes(), now.txBytes());
      long rxPackets = delta(then.rxPackets(), now.rxPackets());
      long txPackets = delta(then.txPackets(), now.txPackets());
      if (rxBytes >= 0 && txBytes >= 0 && rxPackets >= 0 && txPackets >= 0) {
        nets.put(name, new HostSample.Net(rxBytes / seconds, txBytes / seconds, rxPackets / seconds, txPackets / seconds));
      }
    });
    int interval = (int) Math.min(Integer.MAX_VALUE, Math.round(seconds));
    return Optional.of(new HostSample(second, interval, cpu(before.cpu(), later.cpu()), memory(later), disks, nets));
  }

  /**
   * How much a counter grew from {@code then} to {@code now}: across one 32-bit wrap when it fell from
   * the upper half of the 32-bit range; -1 for any other fall (a reset).
   */
  static long delta(long then, long now) {
    if (now >= then) {
      return now - then;
    }
    if (then < WRAP_32 && then >= WRAP_32 / 2 && now < WRAP_32 / 2) {
      return now + WRAP_32 - then;
    }
    return -1;
  }

  private static HostSample.Cpu cpu(CpuTicks then, CpuTicks now) {
    if (then == null || now == null) {
      return null;
    }
    long total = now.total() - then.total();
    long user = (now.user() - then.user()) + (now.nice() - then.nice());
    long system = (now.system() - then.system()) + (now.irq() - then.irq()) + (now.softirq() - then.softirq());
    long iowait = now.iowait() - then.iowait();
    long steal = now.steal() - then.steal();
    long idle = now.idle() - then.idle();
    // The kernel's iowait may go backwards on some kernels (per-CPU accounting); a negative share is noise.
    if (total <= 0 || user < 0 || system < 0 || idle < 0 || steal < 0) {
      return null;
    }
    double t = total;
    return new HostSample.Cpu(user / t, system / t, Math.max(0, iowait) / t, steal / t, idle / t);
  }

  private static HostSample.Memory memory(HostCounters reading) {
    var m = reading.memory();
    if (m == null) {
      return null;
    }
    return new HostSample.Memory(m.totalBytes(), m.availableBytes(), m.totalBytes() - m.availableBytes(),
        Math.max(0, m.swapTotalBytes() - m.swapFreeBytes()));
  }
}
