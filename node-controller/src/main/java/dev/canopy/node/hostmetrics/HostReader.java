package dev.canopy.node.hostmetrics;

import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;

/** Takes one {@link HostCounters} reading from the four {@code /proc} files; blocking (file reads). */
public final class HostReader {

  private final ProcFiles files;
  private final InstantSource clock;

  public HostReader(ProcFiles files, InstantSource clock) {
    this.files = files;
    this.clock = clock;
  }

  /** A file that cannot be read leaves its part of the reading empty rather than failing the others. */
  public HostCounters read() {
    long at = clock.millis();
    String stat = quietly("/proc/stat");
    String meminfo = quietly("/proc/meminfo");
    String diskstats = quietly("/proc/diskstats");
    String netdev = quietly("/proc/net/dev");
    return new HostCounters(at,
        stat == null ? null : ProcParsers.cpu(stat),
        meminfo == null ? null : ProcParsers.memory(meminfo),
        diskstats == null ? Map.of() : ProcParsers.disks(diskstats),
        netdev == null ? Map.of() : ProcParsers.nets(netdev));
  }

  private String quietly(String path) {
    try {
      return files.read(path);
    } catch (IOException e) {
      return null;
    }
  }
}
