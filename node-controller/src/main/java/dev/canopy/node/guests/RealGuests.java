package dev.canopy.node.guests;

import dev.canopy.core.time.Time;
import dev.canopy.images.cache.ImageCache;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.node.commands.DiskProvisioner;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.commands.SparseDiskProvisioner;
import dev.canopy.node.disks.ImageDiskProvisioner;
import dev.canopy.node.disks.QemuImg;
import dev.canopy.node.disks.SeedIso;
import dev.canopy.node.disks.GuestPathAccess;
import dev.canopy.node.hypervisor.GuestUser;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.VirtTypeChoice;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.LibvirtHypervisor;
import dev.canopy.node.network.GuestNetworkSettings;
import dev.canopy.node.network.InstanceNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/** Wires a node agent for real guests on libvirtd (the commands package stays free of networks and disks). */
public final class RealGuests {

  /** The tiny guest prints its line in about 3 s under KVM; a hang is the failure this catches. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  private RealGuests() {}

  /**
   * Real guests on libvirtd: the agent's own NAT network with an address and nwfilter per
   * instance, and disks as copy-on-write overlays of images fetched into a bounded cache, with a
   * NoCloud seed. Returns without waiting for a KVM probe, which runs on its own thread.
   */
  public static NodeCompute open(NodeSettings settings, HypervisorSettings hypervisorSettings,
      GuestNetworkSettings network, ImageCacheSettings cacheSettings, String virtType,
      java.util.Optional<VirtTypeProbe.ProbeImage> probe, Time time) {
    Hypervisor hypervisor = LibvirtHypervisor.connect(hypervisorSettings);
    VirtTypeChoice choice = null;
    try {
      letQemuReach(hypervisor, settings.dataDir(), probe);
      choice = VirtTypeProbe.choose(virtType, hypervisor, new VirtTypeProbe.Probe(Path.of("/dev/kvm"), probe,
          settings.nodeId(), settings.dataDir().resolve("probe"), PROBE_TIMEOUT, time), RealGuests::probeThread);
      InstanceNetwork nics = InstanceNetwork.open(hypervisor, network);
      ImageCache cache = ImageCache.open(cacheSettings, ImageCache.httpClient(Duration.ofSeconds(10)), time);
      DiskProvisioner disks = new ImageDiskProvisioner(cache, QemuImg.system(QemuImg.DEFAULT_TIMEOUT),
          SeedIso.system(Duration.ofSeconds(30)),
          new SparseDiskProvisioner(settings.kernel(), settings.initrd(), settings.kernelCmdline()),
          nics::addressOf, null);
      return NodeCompute.wire(settings, hypervisor, disks, nics, time, choice);
    } catch (IOException e) {
      close(choice, hypervisor);
      throw new UncheckedIOException("cannot prepare the instance network or image cache: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close(choice, hypervisor);
      throw e;
    }
  }

  /**
   * QEMU runs as libvirt's unprivileged user (qemu.conf's {@code user}, as libvirt's capabilities
   * report it): it must be able to search every directory down to the node's folder and the probe
   * image's. See {@link GuestPathAccess} for why an ACL entry rather than another place or mode.
   */
  private static void letQemuReach(Hypervisor hypervisor, Path nodeDir, java.util.Optional<VirtTypeProbe.ProbeImage> probe) {
    OptionalInt uid = GuestUser.uidFrom(hypervisor.capabilities());
    if (uid.isEmpty()) {
      return;
    }
    GuestPathAccess.grantSearch(nodeDir, uid.getAsInt());
    probe.map(image -> image.kernel().toAbsolutePath().getParent()).ifPresent(dir -> GuestPathAccess.grantSearch(dir, uid.getAsInt()));
  }

  /** One daemon thread per probe: it mostly sleeps, and must not keep a stopping JVM alive. */
  private static void probeThread(Runnable probe) {
    Thread thread = new Thread(probe, "canopy-kvm-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void close(VirtTypeChoice choice, Hypervisor hypervisor) {
    if (choice != null) {
      choice.close();
    }
    hypervisor.close();
  }
}
