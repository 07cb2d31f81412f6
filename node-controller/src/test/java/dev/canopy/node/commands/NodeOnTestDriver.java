package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.time.ManualTime;
import dev.canopy.core.time.SystemTime;
import dev.canopy.images.cache.ImageCache;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.node.disks.ImageDiskProvisioner;
import dev.canopy.node.disks.QemuImg;
import dev.canopy.node.disks.SeedIso;
import dev.canopy.node.hypervisor.FiltersAside;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.network.GuestNetworkSettings;
import dev.canopy.node.network.InstanceNetwork;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.FirewallRule;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One node agent wired as {@code RealGuests} wires it: its own instance network (addresses in a
 * dnsmasq hosts directory, an nwfilter per instance), disks from the image provisioner (here the
 * sparse fallback plus a real NoCloud seed from genisoimage), and the dispatcher in front; only
 * the hypervisor is libvirt's {@code test:///default}, with nwfilters kept beside it ({@link
 * FiltersAside}: the test driver has no nwfilter driver).
 */
final class NodeOnTestDriver implements AutoCloseable {

  private static final AtomicInteger NETWORKS = new AtomicInteger();
  private static final AtomicInteger NODES = new AtomicInteger();
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  static final Firewall SSH_ONLY = new Firewall(List.of(new FirewallRule("ingress", "tcp", 22, 22, "0.0.0.0/0")), true);

  final String nodeId;
  final Path dataDir;
  final GuestNetworkSettings network;
  final FiltersAside filters;
  final NodeCompute compute;
  final InstanceFiles files;

  private NodeOnTestDriver(String nodeId, Path dataDir, GuestNetworkSettings network, FiltersAside filters,
      NodeCompute compute) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.network = network;
    this.filters = filters;
    this.compute = compute;
    this.files = new InstanceFiles(dataDir);
  }

  /**
   * A node of its own: its id is {@code name} made unique, and it has a network of its own (the
   * test driver's domains and networks are shared by the whole JVM, so another test's leftovers
   * must never look like this node's).
   */
  static NodeOnTestDriver open(String name, Path dataDir) {
    String nodeId = name + "-" + NODES.incrementAndGet();
    int n = NETWORKS.incrementAndGet();
    GuestNetworkSettings network = new GuestNetworkSettings("canopy-t" + n, "cnpt" + n, "10.77." + n + ".0/24",
        dataDir.resolve("hostsdir"));
    return open(nodeId, dataDir, network, null, hv -> hv);
  }

  /**
   * On {@code network}, keeping {@code earlier}'s filters (null for none), the hypervisor dressed by
   * {@code around} (to slow a call down, say).
   */
  static NodeOnTestDriver open(String nodeId, Path dataDir, GuestNetworkSettings network, FiltersAside earlier,
      UnaryOperator<Hypervisor> around) {
    FiltersAside filters = earlier == null ? new FiltersAside(TestDriver.connect())
        : new FiltersAside(TestDriver.connect(), earlier);
    Hypervisor hypervisor = around.apply(filters);
    try {
      InstanceNetwork nics = InstanceNetwork.open(hypervisor, network);
      ImageCache cache = ImageCache.open(ImageCacheSettings.defaults(dataDir.resolve("images"), 64 << 20),
          ImageCache.httpClient(Duration.ofSeconds(5)), new ManualTime());
      DiskProvisioner disks = new ImageDiskProvisioner(cache, QemuImg.system(TOOL_TIMEOUT), SeedIso.system(TOOL_TIMEOUT),
          new SparseDiskProvisioner(), nics::addressOf, null);
      NodeSettings settings = NodeSettings.defaults(nodeId, dataDir).withStop(Duration.ofSeconds(5), Duration.ofMillis(20));
      return new NodeOnTestDriver(nodeId, dataDir, network, filters,
          NodeCompute.wire(settings, hypervisor, disks, nics, SystemTime.INSTANCE));
    } catch (IOException e) {
      hypervisor.close();
      throw new UncheckedIOException(e);
    }
  }

  /** The same agent started again on its data folder and network. */
  NodeOnTestDriver restart() {
    compute.close();
    return open(nodeId, dataDir, network, filters, hv -> hv);
  }

  Ack dispatch(Command command) {
    return compute.dispatcher().dispatch(command);
  }

  /** The spec a controller sends for a t3.micro with SSH open, each instance its own MAC. */
  static InstanceSpec spec(String instanceId) {
    String mac = String.format("52:54:00:%02x:%02x:%02x", instanceId.hashCode() >>> 16 & 0xff,
        instanceId.hashCode() >>> 8 & 0xff, instanceId.hashCode() & 0xff);
    return new InstanceSpec(instanceId, "111122223333", "t3.micro", 1, 128, 1, "ami-0123456789abcdef0", null,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7 ops@laptop", mac, null, SSH_ONLY);
  }

  static InstanceSpec resized(InstanceSpec s, String type, int vcpus, int memoryMib) {
    return new InstanceSpec(s.instanceId(), s.accountId(), type, vcpus, memoryMib, s.rootDiskGib(), s.imageId(),
        s.userDataBase64(), s.sshPublicKey(), s.macAddress(), s.image(), s.firewall());
  }

  static Command firewall(String instanceId, Firewall firewall, long epoch) {
    ObjectNode payload = Fixtures.JSON.createObjectNode().put("instanceId", instanceId);
    payload.set("firewall", Fixtures.JSON.valueToTree(firewall));
    return Fixtures.command(CommandTypes.UPDATE_FIREWALL, epoch, payload);
  }

  /** The dnsmasq hosts file that holds the instance's address. */
  Path hostsFile(String instanceId) {
    return network.hostsDir().resolve(instanceId);
  }

  /** Removes what is left of this node's domains from the shared driver, then disconnects. */
  @Override
  public void close() {
    try {
      Hypervisor hv = compute.hypervisor();
      for (var d : hv.list()) {
        if (d.ownedBy(nodeId)) {
          if (d.state().isActive()) {
            hv.destroy(d.name());
          }
          hv.undefine(d.name());
        }
      }
    } finally {
      compute.close();
    }
  }
}
