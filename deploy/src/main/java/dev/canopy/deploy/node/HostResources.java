package dev.canopy.deploy.node;

import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this host offers and how busy it is, from the JVM's view of the machine. */
public final class HostResources {

  private HostResources() {}

  /** All CPUs, all physical memory, and the free space of the agent's data folder. */
  public static HostCapacity capacity(Path dataDir) {
    long memoryMib = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      memoryMib = os.getTotalMemorySize() / (1024 * 1024);
    }
    long diskGib = 0;
    try {
      Files.createDirectories(dataDir);
      diskGib = Files.getFileStore(dataDir).getUsableSpace() / (1024L * 1024 * 1024);
    } catch (IOException e) {
      // Reported as 0 GiB: nothing that needs disk is placed here until the folder is usable.
    }
    return new HostCapacity(Runtime.getRuntime().availableProcessors(), memoryMib, diskGib);
  }

  public static HostLoad load() {
    double average = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long usedMib = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      usedMib = (os.getTotalMemorySize() - os.getFreeMemorySize()) / (1024 * 1024);
    }
    return new HostLoad(average, usedMib);
  }
}
