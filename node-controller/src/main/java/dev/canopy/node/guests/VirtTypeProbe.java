package dev.canopy.node.guests;

import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.hypervisor.LibvirtXml;
import dev.canopy.node.hypervisor.VirtType;
import dev.canopy.node.hypervisor.VirtTypeChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Chooses the virtualization type for {@code auto}: KVM only when it demonstrably runs a guest.
 * On some hosts /dev/kvm exists and libvirt advertises KVM, yet guests die at their first
 * {@code cmpxchg16b} or hang silently (DESIGN.md); so the probe boots a small kernel under KVM
 * and waits for the line its init prints. No device, no probe image, or no line in time: QEMU
 * (software emulation) — slower, never broken.
 *
 * <p>The device check is instant; the probe itself (up to {@link Probe#timeout}, which a hanging
 * guest uses in full) runs in the background and never holds up the agent's start: guests
 * launched meanwhile run under QEMU ({@link VirtTypeChoice}). The probe domain has one name per
 * node, so a start removes one that a crashed run left, and each probe removes its own however it ends.
 */
public final class VirtTypeProbe {

  private static final Logger LOG = LoggerFactory.getLogger(VirtTypeProbe.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final String DOMAIN_PREFIX = "canopy-kvm-probe-";

  /**
   * @param kernel, initrd a guest whose init prints {@code marker} on the serial console (the tiny image)
   */
  public record ProbeImage(Path kernel, Path initrd, String marker) {}

  /**
   * Where and how to probe.
   *
   * @param nodeId names the probe domain, so each node finds only its own leftovers
   * @param workDir holds the probe's console file
   */
  public record Probe(Path kvmDevice, Optional<ProbeImage> image, String nodeId, Path workDir, Duration timeout, Time time) {

    String domainName() {
      return DOMAIN_PREFIX + nodeId;
    }
  }

  private VirtTypeProbe() {}

  /**
   * {@code kvm}, {@code qemu} or {@code auto} to a choice; for {@code auto} with a KVM device and a
   * probe image, the probe runs on {@code executor} and this returns at once. Either way a probe
   * domain left by an earlier run of this node is removed first.
   */
  public static VirtTypeChoice choose(String setting, Hypervisor hypervisor, Probe probe, Executor executor) {
    removeLeftover(hypervisor, probe.domainName());
    String value = setting.trim().toLowerCase(Locale.ROOT);
    if (!value.equals("auto")) {
      return VirtTypeChoice.fixed(VirtType.parse(value));
    }
    if (!Files.exists(probe.kvmDevice())) {
      LOG.info("virtualization: {} is absent; guests run under QEMU emulation", probe.kvmDevice());
      return VirtTypeChoice.fixed(VirtType.QEMU);
    }
    if (probe.image().isEmpty()) {
      LOG.info("virtualization: no probe image to try KVM with; guests run under QEMU emulation");
      return VirtTypeChoice.fixed(VirtType.QEMU);
    }
    LOG.info("virtualization: probing KVM in the background (at most {}); guests launched meanwhile run under QEMU emulation",
        probe.timeout());
    return VirtTypeChoice.probing(executor, wanted -> {
      boolean works = bootsUnderKvm(hypervisor, probe, wanted);
      LOG.info("virtualization: a probe guest {} under KVM; guests launched from now on run under {}",
          works ? "booted" : "did not boot", works ? "KVM" : "QEMU emulation");
      return works;
    });
  }

  /** A probe domain of this node found defined or running (the previous run died mid-probe) is destroyed and undefined. */
  static void removeLeftover(Hypervisor hypervisor, String name) {
    try {
      hypervisor.find(name).ifPresent(leftover -> {
        LOG.info("virtualization: removing {} left by an earlier run", name);
        remove(hypervisor, name, leftover.state());
      });
    } catch (HypervisorException e) {
      LOG.warn("virtualization: cannot remove the probe domain {} left by an earlier run: {}", name, e.getMessage());
    }
  }

  /**
   * Boots the probe guest under KVM and waits for its line, while {@code wanted} holds and at most
   * {@link Probe#timeout}; the domain is removed however this ends.
   */
  static boolean bootsUnderKvm(Hypervisor hypervisor, Probe probe, BooleanSupplier wanted) {
    ProbeImage image = probe.image().orElseThrow();
    String name = probe.domainName();
    Path console = probe.workDir().resolve(name + ".log");
    try {
      Files.createDirectories(probe.workDir());
      // A console file from an earlier run may hold the line already: only this boot's output counts.
      Files.deleteIfExists(console);
      hypervisor.define(probeXml(name, image, console));
      try {
        hypervisor.start(name);
        // Gives up early (false) once nobody wants the answer any more.
        return Waiting.presentWithin(probe.time(), () -> !wanted.getAsBoolean() ? Optional.of(false)
            : Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains(image.marker())
                ? Optional.of(true) : Optional.empty(), probe.timeout(), POLL).orElse(false);
      } finally {
        remove(hypervisor, name, DomainState.RUNNING);
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

  /** Destroys (when it may be running) and undefines; each step is tried even when the one before failed. */
  private static void remove(Hypervisor hypervisor, String name, DomainState state) {
    if (state != DomainState.SHUTOFF) {
      try {
        hypervisor.destroy(name);
      } catch (HypervisorException e) {
        // Already off (it crashed, which is an answer too): nothing to stop.
      }
    }
    hypervisor.undefine(name);
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
