package dev.canopy.node.guests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.time.ManualTime;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.VirtType;
import dev.canopy.node.hypervisor.VirtTypeChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtTypeProbeTest {

  private static final String NODE = "nd-1";

  @TempDir Path dir;
  private final FakeHypervisor fake = new FakeHypervisor();
  /** Tasks handed to the probe's executor, run only when the test says so. */
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final Executor later = pending::add;
  private final Executor unused = task -> {
    throw new AssertionError("no probe should run");
  };

  private VirtTypeProbe.ProbeImage image() {
    return new VirtTypeProbe.ProbeImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"), "CANOPY-TINY-BOOTED");
  }

  private VirtTypeProbe.Probe probe(Path device, Optional<VirtTypeProbe.ProbeImage> image, Duration timeout) {
    return new VirtTypeProbe.Probe(device, image, NODE, dir.resolve("probe"), timeout, SystemTime.INSTANCE);
  }

  private Path kvmDevice() throws IOException {
    return Files.createFile(dir.resolve("kvm"));
  }

  @Test
  void anExplicitTypeIsTakenAsItIsAndNonsenseIsRefused() {
    VirtTypeProbe.Probe none = probe(dir.resolve("kvm"), Optional.empty(), Duration.ofSeconds(1));
    assertThat(VirtTypeProbe.choose("kvm", fake, none, unused).get()).isEqualTo(VirtType.KVM);
    assertThat(VirtTypeProbe.choose("QEMU", fake, none, unused).get()).isEqualTo(VirtType.QEMU);
    assertThatThrownBy(() -> VirtTypeProbe.choose("xen", fake, none, unused)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void autoWithoutTheKvmDeviceOrAProbeImageIsQemuAndBootsNothing() throws IOException {
    assertThat(VirtTypeProbe.choose("auto", fake, probe(dir.resolve("kvm"), Optional.of(image()), Duration.ofSeconds(1)), unused)
        .settled()).isCompletedWithValue(VirtType.QEMU);
    assertThat(VirtTypeProbe.choose("auto", fake, probe(kvmDevice(), Optional.empty(), Duration.ofSeconds(1)), unused)
        .settled()).isCompletedWithValue(VirtType.QEMU);
    assertThat(fake.list()).isEmpty();
  }

  @Test
  void autoReturnsBeforeTheProbeRunsAndLaunchesMeanwhileGetQemu() throws IOException {
    VirtTypeChoice choice = VirtTypeProbe.choose("auto", fake, probe(kvmDevice(), Optional.of(image()), Duration.ofMillis(300)), later);
    assertThat(pending).as("the probe waits on its own executor").hasSize(1);
    assertThat(choice.settled()).isNotDone();
    assertThat(choice.get()).isEqualTo(VirtType.QEMU);
    assertThat(fake.calls(FakeHypervisor.Op.DEFINE)).as("nothing was booted before start returned").isZero();

    pending.remove().run(); // the fake's guest never prints the line
    assertThat(choice.settled()).isCompletedWithValue(VirtType.QEMU);
    assertThat(fake.calls(FakeHypervisor.Op.START)).isEqualTo(1);
    assertThat(fake.list()).as("the probe domain is gone").isEmpty();
  }

  @Test
  void aProbeGuestThatPrintsItsLineSwitchesLaterLaunchesToKvmAndLeavesNoDomain() throws IOException {
    Path console = dir.resolve("probe").resolve("canopy-kvm-probe-" + NODE + ".log");
    // Time as the probe sees it; while it waits, the guest (as QEMU would) writes its console line.
    ManualTime guestPrints = new ManualTime();
    guestPrints.onSleep(() -> {
      try {
        Files.writeString(console, "CANOPY-TINY-BOOTED\n");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    VirtTypeChoice choice = VirtTypeProbe.choose("auto", fake,
        new VirtTypeProbe.Probe(kvmDevice(), Optional.of(image()), NODE, dir.resolve("probe"), Duration.ofSeconds(20), guestPrints), later);
    assertThat(choice.get()).isEqualTo(VirtType.QEMU);
    pending.remove().run();
    assertThat(choice.settled()).isCompletedWithValue(VirtType.KVM);
    assertThat(choice.get()).isEqualTo(VirtType.KVM);
    assertThat(fake.list()).isEmpty();
    assertThat(console).doesNotExist();
  }

  @Test
  void aProbeDomainLeftByACrashedRunIsRemovedAtStartWhateverTheSetting() {
    String leftover = "canopy-kvm-probe-" + NODE;
    fake.define(VirtTypeProbe.probeXml(leftover, image(), dir.resolve("c.log")));
    fake.start(leftover);
    fake.define(VirtTypeProbe.probeXml("canopy-kvm-probe-nd-other", image(), dir.resolve("o.log")));

    VirtTypeProbe.choose("qemu", fake, probe(dir.resolve("kvm"), Optional.empty(), Duration.ofSeconds(1)), unused);

    assertThat(fake.find(leftover)).isEmpty();
    assertThat(fake.find("canopy-kvm-probe-nd-other")).as("another node's probe is not ours to remove").isPresent();
  }

  @Test
  void closingStopsARunningProbeWhichStillRemovesItsDomain() throws Exception {
    VirtTypeChoice choice = VirtTypeProbe.choose("auto", fake, probe(kvmDevice(), Optional.of(image()), Duration.ofMinutes(10)),
        task -> new Thread(task).start());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fake.calls(FakeHypervisor.Op.START) == 1);
    choice.close();
    assertThat(choice.settled()).isCompletedWithValue(VirtType.QEMU);
    assertThat(fake.list()).isEmpty();
  }

  @Test
  void theProbeDomainIsKvmWithDirectKernelBootAndASerialFile() {
    String xml = VirtTypeProbe.probeXml("canopy-kvm-probe-1", image(), dir.resolve("c.log"));
    assertThat(xml).contains("<domain type=\"kvm\">", "<kernel>" + dir.resolve("vmlinuz") + "</kernel>",
        "<cmdline>console=ttyS0</cmdline>", "<source path=\"" + dir.resolve("c.log") + "\"/>");
  }
}
