package dev.canopy.deploy.cluster;

import dev.canopy.deploy.Causes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canopy local-cluster up}. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Create a cloud in DIR (canopy init), start its processes, enroll the nodes, wait until ready, write DIR/cluster.json.")
final class LocalClusterUp implements Callable<Integer> {

  @Option(names = "--dir", required = true, description = "Folder for the cloud: identity, one data folder and log per process, cluster.json.")
  Path dir;

  @Option(names = "--controllers", description = "Controllers, 1..9 (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int controllers;

  @Option(names = "--storage", description = "Storage processes, 1..5, one ring of the replicated store (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int storage;

  @Option(names = "--anti-entropy-round-seconds", description = "Each storage process's anti-entropy round, as canopy storage takes it"
      + " (default: canopy storage's).")
  Long antiEntropyRoundSeconds;

  @Option(names = "--nodes", description = "Node agents (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  int nodes;

  @Option(names = "--hypervisor-uri", description = "The node agents' libvirt URI: test:///default runs no guests; "
      + "qemu:///system boots real ones, and the controllers then hand out image links and firewalls (default: ${DEFAULT-VALUE}).",
      defaultValue = "test:///default")
  String hypervisorUri;

  @Option(names = "--virt-type", description = "The node agents' --virt-type for real guests: kvm, qemu or auto (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String virtType;

  @Option(names = "--subnet", description = "First three octets of the loopback addresses: controller i listens on SUBNET.i, "
      + "storage j on SUBNET.(100+j) (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.1")
  String subnet;

  @Option(names = "--system-image", description = "Folder of the tiny image to register as canopy-tiny (default: $CANOPY_TINY_IMAGE).")
  Path systemImage;

  @Override
  public Integer call() throws Exception {
    if (controllers < 1 || controllers > 9 || storage < 1 || storage > 5 || nodes < 0 || nodes > 20
        || (antiEntropyRoundSeconds != null && antiEntropyRoundSeconds < 0)) {
      System.err.println("canopy local-cluster: --controllers 1..9, --storage 1..5, --nodes 0..20, --anti-entropy-round-seconds >= 0");
      return 2;
    }
    if (!subnet.matches("127\\.\\d{1,3}\\.\\d{1,3}")) {
      System.err.println("canopy local-cluster: --subnet must be three octets under 127, like 127.0.1");
      return 2;
    }
    LocalCluster.Layout layout = new LocalCluster.Layout(dir, controllers, storage, nodes, subnet, systemImage,
        new LocalCluster.Guests(hypervisorUri, virtType), antiEntropyRoundSeconds);
    try {
      Path written = LocalCluster.up(layout, System.out);
      System.out.println("canopy local-cluster: ready; " + written);
      return 0;
    } catch (Exception e) {
      System.err.println("canopy local-cluster: " + Causes.describe(e) + " (logs in " + dir.resolve("logs") + "; stop with: local-cluster down --dir " + dir + ")");
      return 1;
    }
  }
}
