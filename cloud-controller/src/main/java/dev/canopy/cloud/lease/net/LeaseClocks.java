package dev.canopy.cloud.lease.net;

import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The clocks {@link LeaseService} reads, injected so tests can move them.
 *
 * @param monotonicNanos {@code Time.nanoTime()}: the only clock the lease rules use
 * @param wallClock wall time, carried into the core's {@code LocalNow} (which ignores it)
 * @param uptimeSeconds seconds since boot including suspends ({@code /proc/uptime}); NaN when unknown
 */
public record LeaseClocks(LongSupplier monotonicNanos, InstantSource wallClock, DoubleSupplier uptimeSeconds) {

  private static final Path PROC_UPTIME = Path.of("/proc/uptime");

  public static LeaseClocks system() {
    return of(SystemTime.INSTANCE);
  }

  /** The lease's clocks read from {@code time}; uptime from {@code /proc/uptime}. */
  public static LeaseClocks of(Time time) {
    return new LeaseClocks(time::nanoTime, time, LeaseClocks::procUptimeSeconds);
  }

  /**
   * The first field of /proc/uptime (CLOCK_BOOTTIME), or NaN where there is none. Read on the
   * event loop: procfs is answered from kernel memory, never from a disk.
   */
  static double procUptimeSeconds() {
    try {
      String text = Files.readString(PROC_UPTIME, StandardCharsets.US_ASCII).trim();
      int space = text.indexOf(' ');
      return Double.parseDouble(space < 0 ? text : text.substring(0, space));
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
  }
}
