package dev.canopy.node.guests;

import dev.canopy.images.cache.ImageCache;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.images.cache.Sleeper;
import dev.canopy.node.commands.DiskProvisioner;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.commands.SparseDiskProvisioner;
import dev.canopy.node.commands.Ticker;
import dev.canopy.node.disks.ImageDiskProvisioner;
import dev.canopy.node.disks.QemuImg;
import dev.canopy.node.disks.SeedIso;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.LibvirtHypervisor;
import dev.canopy.node.network.GuestNetworkSettings;
import dev.canopy.node.network.InstanceNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** Wires a node agent for real guests on libvirtd (the commands package stays free of networks and disks). */
public final class RealGuests {

  /** The tiny guest prints its line in about 3 s under KVM; a hang is the failure this catches. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  private RealGuests() {}

  /**
   * Real guests on libvirtd: the agent's own NAT network with an address and nwfilter per
   * instance, and disks as copy-on-write overlays of images fetched into a bounded cache, with a
   * NoCloud seed.
   */
  public static NodeCompute open(NodeSettings settings, HypervisorSettings hypervisorSettings,
      GuestNetworkSettings network, ImageCacheSettings cacheSettings, String virtType,
      java.util.Optional<VirtTypeProbe.ProbeImage> probe) {
    Hypervisor hypervisor = LibvirtHypervisor.connect(hypervisorSettings);
    try {
      settings = settings.withVirtType(VirtTypeProbe.choose(virtType, hypervisor, Path.of("/dev/kvm"), probe,
          settings.dataDir().resolve("probe"), PROBE_TIMEOUT));
      InstanceNetwork nics = InstanceNetwork.open(hypervisor, network);
      ImageCache cache = ImageCache.open(cacheSettings, ImageCache.httpClient(Duration.ofSeconds(10)), Sleeper.system(),
          java.time.Clock.systemUTC());
      DiskProvisioner disks = new ImageDiskProvisioner(cache, QemuImg.system(QemuImg.DEFAULT_TIMEOUT),
          SeedIso.system(Duration.ofSeconds(30)),
          new SparseDiskProvisioner(settings.kernel(), settings.initrd(), settings.kernelCmdline()),
          nics::addressOf, null);
      return NodeCompute.wire(settings, hypervisor, disks, nics, Ticker.system());
    } catch (IOException e) {
      hypervisor.close();
      throw new UncheckedIOException("cannot prepare the instance network or image cache: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      hypervisor.close();
      throw e;
    }
  }

}
