package dev.canopy.cloud.hostmetrics;

import dev.canopy.node.protocol.HostSample;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a {@link HostSample} is kept: one integer series per figure, named {@code GROUP.FIGURE} or
 * {@code GROUP.DEVICE.FIGURE}, the group one of {@link #GROUPS}. Stored series hold integers, so
 * fractions are kept in millionths and per-second counts of operations and packets in thousandths;
 * {@link #scale} says by how much to divide.
 *
 * <ul>
 *   <li>{@code cpu.user|system|iowait|steal|idle}: fractions of all CPUs' time
 *   <li>{@code mem.total|available|used|swapUsed}: bytes
 *   <li>{@code disk.DEV.readBytes|writeBytes} bytes per second, {@code disk.DEV.reads|writes} operations per second
 *   <li>{@code net.IF.rxBytes|txBytes} bytes per second, {@code net.IF.rxPackets|txPackets} packets per second
 * </ul>
 */
public final class HostSeries {

  public static final java.util.List<String> GROUPS = java.util.List.of("cpu", "mem", "disk", "net");
  /** Devices and interfaces one sample may carry each; a host with more is cut to the first ones by name. */
  public static final int DEVICES_PER_SAMPLE_MAX = 64;
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._:@-]{1,32}");
  private static final long PARTS_PER_MILLION = 1_000_000;
  private static final long THOUSANDTHS = 1_000;

  private HostSeries() {}

  /** The sample's figures by series name; devices with names that are not plain device names are left out. */
  public static Map<String, Long> of(HostSample sample) {
    Map<String, Long> values = new TreeMap<>();
    if (sample.cpu() != null) {
      HostSample.Cpu c = sample.cpu();
      fraction(values, "cpu.user", c.user());
      fraction(values, "cpu.system", c.system());
      fraction(values, "cpu.iowait", c.iowait());
      fraction(values, "cpu.steal", c.steal());
      fraction(values, "cpu.idle", c.idle());
    }
    if (sample.memory() != null) {
      HostSample.Memory m = sample.memory();
      bytes(values, "mem.total", m.totalBytes());
      bytes(values, "mem.available", m.availableBytes());
      bytes(values, "mem.used", m.usedBytes());
      bytes(values, "mem.swapUsed", m.swapUsedBytes());
    }
    new TreeMap<>(sample.disks()).entrySet().stream().filter(e -> DEVICE.matcher(e.getKey()).matches())
        .limit(DEVICES_PER_SAMPLE_MAX).forEach(e -> {
          String p = "disk." + e.getKey() + ".";
          rate(values, p + "readBytes", e.getValue().readBytes(), 1);
          rate(values, p + "writeBytes", e.getValue().writeBytes(), 1);
          rate(values, p + "reads", e.getValue().reads(), THOUSANDTHS);
          rate(values, p + "writes", e.getValue().writes(), THOUSANDTHS);
        });
    new TreeMap<>(sample.nets()).entrySet().stream().filter(e -> DEVICE.matcher(e.getKey()).matches())
        .limit(DEVICES_PER_SAMPLE_MAX).forEach(e -> {
          String p = "net." + e.getKey() + ".";
          rate(values, p + "rxBytes", e.getValue().rxBytes(), 1);
          rate(values, p + "txBytes", e.getValue().txBytes(), 1);
          rate(values, p + "rxPackets", e.getValue().rxPackets(), THOUSANDTHS);
          rate(values, p + "txPackets", e.getValue().txPackets(), THOUSANDTHS);
        });
    return values;
  }

  /** What a stored value of {@code series} is divided by to read in its unit. */
  public static long scale(String series) {
    if (series.startsWith("cpu.")) {
      return PARTS_PER_MILLION;
    }
    return series.endsWith(".reads") || series.endsWith(".writes") || series.endsWith("Packets") ? THOUSANDTHS : 1;
  }

  /** The series' unit, for a graph's axis. */
  public static String unit(String series) {
    if (series.startsWith("cpu.")) {
      return "fraction";
    }
    if (series.startsWith("mem.")) {
      return "bytes";
    }
    if (series.endsWith("Bytes")) {
      return "bytes/s";
    }
    return series.endsWith("Packets") ? "packets/s" : "operations/s";
  }

  /** {@code cpu} of {@code cpu.user}. */
  public static String group(String series) {
    int dot = series.indexOf('.');
    return dot < 0 ? series : series.substring(0, dot);
  }

  private static void fraction(Map<String, Long> values, String name, double value) {
    if (Double.isFinite(value) && value >= 0 && value <= 1.0001) {
      values.put(name, Math.round(value * PARTS_PER_MILLION));
    }
  }

  private static void bytes(Map<String, Long> values, String name, long value) {
    if (value >= 0) {
      values.put(name, value);
    }
  }

  private static void rate(Map<String, Long> values, String name, double perSecond, long scale) {
    // A rate past 2^53 per second is no real device: refused rather than stored as garbage.
    if (Double.isFinite(perSecond) && perSecond >= 0 && perSecond < 9e15 / scale) {
      values.put(name, Math.round(perSecond * scale));
    }
  }
}
