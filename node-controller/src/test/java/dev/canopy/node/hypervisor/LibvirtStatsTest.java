package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LibvirtHypervisor#stats} on libvirt's in-process {@code test:///default} driver (libvirt0
 * required; fails, never skips, without it). The driver's counters are synthetic, derived from
 * the clock, so the test checks shape and monotonicity, not values. The driver assigns
 * {@code testnetN} taps to interfaces of a started domain, as qemu assigns {@code vnetN}.
 */
class LibvirtStatsTest {

  private Hypervisor hv;

  @BeforeEach
  void open() {
    try {
      hv = LibvirtHypervisor.connect(new HypervisorSettings("test:///default", Duration.ofSeconds(10), 2, 16));
    } catch (HypervisorException e) {
      if (e.kind() == HypervisorException.Kind.LIBRARY_MISSING) {
        fail("libvirt's C library is missing: install the Debian package libvirt0. " + e.getMessage());
      }
      throw e;
    }
  }

  @AfterEach
  void close() {
    hv.close();
  }

  @Test
  void readsCpuMemoryAndEachTapOfTheDriversBuiltInDomain() {
    GuestStats first = hv.stats("test").orElseThrow();
    GuestStats second = hv.stats("test").orElseThrow();

    assertThat(first.memoryKib()).isEqualTo(2_097_152);
    assertThat(first.cpuTimeNanos()).isPositive();
    assertThat(first.nics()).singleElement().satisfies(nic -> {
      assertThat(nic.device()).isEqualTo("testnet0");
      assertThat(nic.macAddress()).isEqualTo("aa:bb:cc:dd:ee:ff");
      assertThat(nic.rxBytes()).isPositive();
      assertThat(nic.txPackets()).isPositive();
    });
    assertThat(second.nics().get(0).rxBytes()).isGreaterThanOrEqualTo(first.nics().get(0).rxBytes());
  }

  @Test
  void everyInterfaceOfADefinedDomainWhileItRunsAndNothingOnceItIsOff() {
    String name = "stats-probe-1";
    hv.define("<domain type='test'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
        + "<os><type arch='x86_64'>hvm</type></os><devices>"
        + "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>"
        + "<interface type='network'><mac address='52:54:00:00:00:02'/><source network='default'/></interface>"
        + "</devices></domain>");
    try {
      assertThat(hv.stats(name)).as("shut off: no counters").isEmpty();

      hv.start(name);
      GuestStats running = hv.stats(name).orElseThrow();
      assertThat(running.memoryKib()).isEqualTo(65_536);
      assertThat(running.nics()).extracting(NicStats::macAddress).containsExactly("52:54:00:00:00:01", "52:54:00:00:00:02");
      assertThat(running.nics()).extracting(NicStats::device).allMatch(d -> d.startsWith("testnet"));

      hv.destroy(name);
      assertThat(hv.stats(name)).isEmpty();
    } finally {
      if (hv.find(name).map(d -> d.state().isActive()).orElse(false)) {
        hv.destroy(name);
      }
      hv.undefine(name);
    }
  }

  @Test
  void anUnknownDomainHasNoStats() {
    assertThat(hv.stats("no-such-domain-anywhere")).isEmpty();
  }
}
