package dev.canopy.node.hostmetrics;

import static dev.canopy.node.hostmetrics.ProcParsersTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.canopy.node.protocol.HostSample;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostRatesTest {

  private static final long T0 = 1_700_000_000_000L;

  private static HostCounters reading(long atMillis, int n) {
    return new HostCounters(atMillis, ProcParsers.cpu(fixture("stat-" + n + ".txt")), ProcParsers.memory(fixture("meminfo.txt")),
        ProcParsers.disks(fixture("diskstats-" + n + ".txt")), ProcParsers.nets(fixture("net-dev-" + n + ".txt")));
  }

  private static HostSample tenSeconds() {
    return HostRates.between(Optional.of(reading(T0, 1)), reading(T0 + 10_000, 2)).orElseThrow();
  }

  @Test
  void cpuSharesAreFractionsOfTheIntervalsTicks() {
    HostSample.Cpu cpu = tenSeconds().cpu();
    // 2000 ticks in all: user+nice 400, system+irq+softirq 250, iowait 300, steal 450, idle 600.
    assertThat(cpu.user()).isCloseTo(0.2, within(1e-9));
    assertThat(cpu.system()).isCloseTo(0.125, within(1e-9));
    assertThat(cpu.iowait()).isCloseTo(0.15, within(1e-9));
    assertThat(cpu.steal()).isCloseTo(0.225, within(1e-9));
    assertThat(cpu.idle()).isCloseTo(0.3, within(1e-9));
  }

  @Test
  void diskAndNetworkCountersBecomeRatesPerSecond() {
    HostSample sample = tenSeconds();
    assertThat(sample.second()).isEqualTo(T0 / 1000 + 10);
    assertThat(sample.intervalSeconds()).isEqualTo(10);
    assertThat(sample.disks().get("sda")).isEqualTo(new HostSample.Disk(1_048_576, 3_145_728, 10, 30));
    assertThat(sample.memory().usedBytes()).isEqualTo(8_192_000L * 1024);
    assertThat(sample.memory().swapUsedBytes()).isEqualTo(100_000L * 1024);
  }

  @Test
  void a32BitCounterThatWrappedIsCountedAcrossTheWrap() {
    HostSample sample = tenSeconds();
    // eth0's rx bytes went 4294960000 -> 2704: 10000 bytes across 2^32.
    assertThat(sample.nets().get("eth0")).isEqualTo(new HostSample.Net(1_000, 1_024_000, 100, 1_000));
    // nvme0n1's writes and sectors went 4294967000 -> 704: 1000 across 2^32.
    assertThat(sample.disks().get("nvme0n1")).isEqualTo(new HostSample.Disk(1_048_576, 51_200, 5, 100));
  }

  @Test
  void aCounterResetLeavesTheDeviceWithoutARateForThatInterval() {
    HostSample sample = tenSeconds();
    assertThat(sample.disks()).as("dm-0's counters fell from low values: a reset").doesNotContainKey("dm-0");
    assertThat(sample.nets()).as("the bridge was re-created").doesNotContainKey("virbr-canopy");
  }

  @Test
  void aDeviceAppearingGetsItsFirstRateOneIntervalLater() {
    HostSample first = tenSeconds();
    assertThat(first.disks()).doesNotContainKey("sdb");
    assertThat(first.nets()).doesNotContainKey("eth1");

    HostCounters second = reading(T0 + 10_000, 2);
    HostCounters third = new HostCounters(T0 + 20_000, second.cpu(), second.memory(),
        java.util.Map.of("sdb", new HostCounters.DiskCounters(60, 960, 0, 0)),
        java.util.Map.of("eth1", new HostCounters.NetCounters(3000, 30, 2000, 20)));
    HostSample next = HostRates.between(Optional.of(second), third).orElseThrow();
    assertThat(next.disks().get("sdb")).isEqualTo(new HostSample.Disk(16_384, 0, 2, 0));
    assertThat(next.nets().get("eth1")).isEqualTo(new HostSample.Net(200, 0, 2, 0));
    assertThat(next.cpu()).as("no CPU ticks passed").isNull();
  }

  @Test
  void theFirstReadingHasMemoryOnlyAndAStoppedClockNothing() {
    HostSample first = HostRates.between(Optional.empty(), reading(T0, 1)).orElseThrow();
    assertThat(first.cpu()).isNull();
    assertThat(first.disks()).isEmpty();
    assertThat(first.memory().totalBytes()).isEqualTo(16_384_000L * 1024);
    assertThat(HostRates.between(Optional.of(reading(T0, 1)), reading(T0, 2))).isEmpty();
  }

  @Test
  void deltasWrapOnlyFromTheUpperHalfOf32Bits() {
    assertThat(HostRates.delta(5, 9)).isEqualTo(4);
    assertThat(HostRates.delta(0xFFFF_FFF0L, 0x10)).isEqualTo(0x20);
    assertThat(HostRates.delta(1000, 10)).isEqualTo(-1);
    assertThat(HostRates.delta(1L << 40, 10)).as("a 64-bit counter never wraps in practice: a reset").isEqualTo(-1);
  }
}
