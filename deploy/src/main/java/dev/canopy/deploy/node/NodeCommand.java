package dev.canopy.deploy.node;

import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.deploy.Causes;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.node.guests.VirtTypeProbe;

import dev.canopy.node.agent.EnrollmentException;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy node}: a node agent. The first start enrolls with {@code --token}; later starts
 * reuse the credentials in {@code --data} and need no token.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a node agent: enroll with a one-time token, then serve the controllers over mutual TLS.")
public final class NodeCommand implements Callable<Integer> {

  /** Each step of a stop (sessions, then Vert.x) gets this long before the agent exits anyway. */
  private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--controller", required = true, split = ",", description = "Agent-port URLs of the controllers, e.g. https://10.0.0.1:8775.")
  List<String> controllers;

  @Option(names = "--token", description = "One-time enrollment token (canopy token create); only needed for the first start.")
  String token;

  @Option(names = "--data", description = "The agent's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-node")
  Path data;

  @Option(names = "--zone", description = "Availability zone this node serves (default: ${DEFAULT-VALUE}).", defaultValue = "canopy-1a")
  String zone;

  @Option(names = "--hypervisor-uri", description = "libvirt connection URI (default: ${DEFAULT-VALUE}).", defaultValue = "test:///default")
  String hypervisorUri;

  @Option(names = "--virt-type", description = "kvm, qemu (emulation) or auto: boot the probe image under KVM first and fall back to qemu (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String virtType;

  @Option(names = "--probe-image", description = "Folder with vmlinuz and initramfs.gz of the tiny image (images/tiny/build.sh), for --virt-type auto; without it auto means qemu.")
  Path probeImage;

  @Override
  public Integer call() throws Exception {
    for (String url : controllers) {
      if (!url.startsWith("https://")) {
        System.err.println("canopy node: --controller takes https:// URLs of the agent port, not '" + url + "'");
        return 2;
      }
    }
    if (!java.util.List.of("kvm", "qemu", "auto").contains(virtType.toLowerCase(java.util.Locale.ROOT))) {
      System.err.println("canopy node: --virt-type must be kvm, qemu or auto, not " + virtType);
      return 2;
    }
    Optional<VirtTypeProbe.ProbeImage> probe = Optional.ofNullable(probeImage)
        .map(dir -> new VirtTypeProbe.ProbeImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"), "CANOPY-TINY-BOOTED"));
    Vertx vertx = Vertx.vertx();
    NodeRole role;
    try {
      role = NodeRole.start(new NodeRole.Settings(data, controllers, Optional.ofNullable(token),
          InetAddress.getLocalHost().getHostName(), zone, hypervisorUri, virtType, probe),
          new ProcessParts(vertx, SystemTime.INSTANCE, new SecureRandom(), ProcessMetrics.create()));
      System.out.println("canopy node: node " + role.nodeId() + " (hypervisor " + hypervisorUri + "), controllers " + role.controllers());
    } catch (Exception e) {
      // A refused enrollment (checked) arrives wrapped once, naming the step; say the refusal itself.
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() instanceof EnrollmentException
          ? e.getCause() : e;
      System.err.println("canopy node: " + Causes.describe(cause));
      vertx.close();
      return 1;
    }
    StopOnSignal.await("canopy node", () -> {
      role.close();
      try {
        Futures.await(vertx.close().toCompletionStage(), STOP_STEP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        System.err.println("canopy node: did not stop cleanly: " + e);
      }
    });
    return 0;
  }
}
