package dev.canopy.node.guests;

import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.hypervisor.LibvirtXml;
import dev.canopy.node.hypervisor.VirtType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Chooses the virtualization type for {@code auto}: KVM only when it demonstrably runs a guest.
 * On some hosts /dev/kvm exists and libvirt advertises KVM, yet guests die at their first
 * {@code cmpxchg16b} or hang silently (DESIGN.md); so the probe boots a small kernel under KVM
 * and waits for the line its init prints. No device, no probe image, or no line in time: QEMU
 * (software emulation) — slower, never broken.
 */
public final class VirtTypeProbe {

  private static final Logger LOG = LoggerFactory.getLogger(VirtTypeProbe.class);
  private static final long POLL_MS = 200;

  /**
   * @param kernel, initrd a guest whose init prints {@code marker} on the serial console (the tiny image)
   */
  public record ProbeImage(Path kernel, Path initrd, String marker) {}

  private VirtTypeProbe() {}

  /** {@code kvm}, {@code qemu} or {@code auto} to a type, probing for {@code auto}. */
  public static VirtType choose(String setting, Hypervisor hypervisor, Path kvmDevice, Optional<ProbeImage> image,
      Path workDir, Duration timeout) {
    String value = setting.trim().toLowerCase(Locale.ROOT);
    if (!value.equals("auto")) {
      return VirtType.parse(value);
    }
    if (!Files.exists(kvmDevice)) {
      LOG.info("virtualization: {} is absent; guests run under QEMU emulation", kvmDevice);
      return VirtType.QEMU;
    }
    if (image.isEmpty()) {
      LOG.info("virtualization: no probe image to try KVM with; guests run under QEMU emulation");
      return VirtType.QEMU;
    }
    boolean works = bootsUnderKvm(hypervisor, image.get(), workDir, timeout);
    LOG.info("virtualization: a probe guest {} under KVM; guests run under {}", works ? "booted" : "did not boot",
        works ? "KVM" : "QEMU emulation");
    return works ? VirtType.KVM : VirtType.QEMU;
  }

  static boolean bootsUnderKvm(Hypervisor hypervisor, ProbeImage image, Path workDir, Duration timeout) {
    String name = "canopy-kvm-probe-" + UUID.randomUUID().toString().substring(0, 8);
    Path console = workDir.resolve(name + ".log");
    try {
      Files.createDirectories(workDir);
      hypervisor.define(probeXml(name, image, console));
      try {
        hypervisor.start(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
          if (Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains(image.marker())) {
            return true;
          }
          Thread.sleep(POLL_MS);
        }
        return false;
      } finally {
        try {
          hypervisor.destroy(name);
        } catch (HypervisorException e) {
          // Already off (it crashed, which is the answer): nothing to stop.
        }
        hypervisor.undefine(name);
        Files.deleteIfExists(console);
      }
    } catch (HypervisorException | IOException e) {
      LOG.warn("virtualization: the KVM probe failed: {}", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The smallest domain that boots the probe kernel: no disk, no NIC, serial to a file. */
  static String probeXml(String name, ProbeImage image, Path console) {
    LibvirtXml xml = LibvirtXml.document("domain");
    Element domain = xml.root();
    domain.setAttribute("type", "kvm");
    xml.text(domain, "name", name);
    xml.text(domain, "memory", "256").setAttribute("unit", "MiB");
    xml.text(domain, "vcpu", "1");
    Element os = xml.child(domain, "os");
    xml.text(os, "type", "hvm").setAttribute("arch", "x86_64");
    xml.text(os, "kernel", image.kernel().toString());
    xml.text(os, "initrd", image.initrd().toString());
    xml.text(os, "cmdline", "console=ttyS0");
    xml.text(domain, "on_poweroff", "destroy");
    xml.text(domain, "on_crash", "destroy");
    Element devices = xml.child(domain, "devices");
    Element serial = xml.child(devices, "serial", "type", "file");
    xml.child(serial, "source", "path", console.toString());
    xml.child(serial, "target", "port", "0");
    return xml.serialize();
  }
}
