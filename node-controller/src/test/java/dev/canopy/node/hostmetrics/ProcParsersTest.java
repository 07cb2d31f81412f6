package dev.canopy.node.hostmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hostmetrics.HostCounters.CpuTicks;
import dev.canopy.node.hostmetrics.HostCounters.DiskCounters;
import dev.canopy.node.hostmetrics.HostCounters.MemoryFigures;
import dev.canopy.node.hostmetrics.HostCounters.NetCounters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcParsersTest {

  static String fixture(String name) {
    try (InputStream in = ProcParsersTest.class.getResourceAsStream("/hostmetrics/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("no fixture " + name, e);
    }
  }

  @Test
  void theAggregateCpuLineIsRead() {
    assertThat(ProcParsers.cpu(fixture("stat-1.txt"))).isEqualTo(new CpuTicks(1000, 100, 500, 8000, 200, 10, 40, 150));
  }

  @Test
  void anOldKernelWithoutStealHasZeroSteal() {
    assertThat(ProcParsers.cpu("cpu  10 0 5 100 2 0 0\n")).isEqualTo(new CpuTicks(10, 0, 5, 100, 2, 0, 0, 0));
    assertThat(ProcParsers.cpu("intr 1 2 3\n")).isNull();
    assertThat(ProcParsers.cpu("cpu  x y z w v\n")).isNull();
  }

  @Test
  void memoryComesFromMemAvailableInBytes() {
    assertThat(ProcParsers.memory(fixture("meminfo.txt")))
        .isEqualTo(new MemoryFigures(16_384_000L * 1024, 8_192_000L * 1024, 4_194_304L * 1024, 4_094_304L * 1024));
  }

  @Test
  void aKernelWithoutMemAvailableCountsFreeBuffersAndCache() {
    assertThat(ProcParsers.memory(fixture("meminfo-old-kernel.txt")).availableBytes()).isEqualTo(400_000L * 1024);
    assertThat(ProcParsers.memory("SwapTotal: 0 kB\n")).isNull();
  }

  @Test
  void disksAreWholeDevicesWithoutPartitionsLoopOrRamDisks() {
    var disks = ProcParsers.disks(fixture("diskstats-1.txt"));
    assertThat(disks).containsOnlyKeys("sda", "nvme0n1", "dm-0");
    assertThat(disks.get("sda")).isEqualTo(new DiskCounters(10_000, 800_000, 20_000, 1_600_000));
  }

  @Test
  void interfacesAreTheHostsWithoutLoopbackOrGuestTaps() {
    var nets = ProcParsers.nets(fixture("net-dev-1.txt"));
    assertThat(nets).containsOnlyKeys("eth0", "virbr-canopy");
    assertThat(nets.get("eth0")).isEqualTo(new NetCounters(4_294_960_000L, 1_000_000, 2_000_000_000L, 900_000));
  }

  @Test
  void malformedLinesAreSkippedNotFatal() {
    assertThat(ProcParsers.disks("8 0 sda 1 2\ngarbage\n\n")).isEmpty();
    assertThat(ProcParsers.nets("eth0: a b c d e f g h i j\nnocolon 1 2 3\n")).isEmpty();
    assertThat(ProcParsers.nets("eth0: 99999999999999999999999 1 0 0 0 0 0 0 1 1\n")).isEmpty();
  }
}
