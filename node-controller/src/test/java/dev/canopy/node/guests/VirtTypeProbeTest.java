package dev.canopy.node.guests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.VirtType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtTypeProbeTest {

  @TempDir Path dir;
  private final FakeHypervisor fake = new FakeHypervisor();

  private VirtTypeProbe.ProbeImage image() {
    return new VirtTypeProbe.ProbeImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"), "CANOPY-TINY-BOOTED");
  }

  @Test
  void anExplicitTypeIsTakenAsItIsAndNonsenseIsRefused() {
    assertThat(VirtTypeProbe.choose("kvm", fake, dir.resolve("kvm"), Optional.empty(), dir, Duration.ofSeconds(1))).isEqualTo(VirtType.KVM);
    assertThat(VirtTypeProbe.choose("QEMU", fake, dir.resolve("kvm"), Optional.empty(), dir, Duration.ofSeconds(1))).isEqualTo(VirtType.QEMU);
    assertThatThrownBy(() -> VirtTypeProbe.choose("xen", fake, dir.resolve("kvm"), Optional.empty(), dir, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void autoWithoutTheKvmDeviceOrAProbeImageIsQemuAndBootsNothing() throws IOException {
    assertThat(VirtTypeProbe.choose("auto", fake, dir.resolve("kvm"), Optional.of(image()), dir, Duration.ofSeconds(1))).isEqualTo(VirtType.QEMU);
    Path device = Files.createFile(dir.resolve("kvm"));
    assertThat(VirtTypeProbe.choose("auto", fake, device, Optional.empty(), dir, Duration.ofSeconds(1))).isEqualTo(VirtType.QEMU);
    assertThat(fake.list()).isEmpty();
  }

  @Test
  void autoWhoseProbeGuestNeverPrintsIsQemuAndTheProbeDomainIsGone() throws IOException {
    Path device = Files.createFile(dir.resolve("kvm"));
    assertThat(VirtTypeProbe.choose("auto", fake, device, Optional.of(image()), dir.resolve("probe"), Duration.ofMillis(300)))
        .isEqualTo(VirtType.QEMU);
    assertThat(fake.list()).isEmpty();
  }

  @Test
  void theProbeDomainIsKvmWithDirectKernelBootAndASerialFile() {
    String xml = VirtTypeProbe.probeXml("canopy-kvm-probe-1", image(), dir.resolve("c.log"));
    assertThat(xml).contains("<domain type=\"kvm\">", "<kernel>" + dir.resolve("vmlinuz") + "</kernel>",
        "<cmdline>console=ttyS0</cmdline>", "<source path=\"" + dir.resolve("c.log") + "\"/>");
  }
}
