package dev.canopy.deploy.dev;

import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.ConfigException;
import dev.canopy.deploy.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canopy dev}: the cloud in a box, every role in one process, until SIGTERM or Ctrl-C. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Start the cloud in a box: EC2, S3, console and management in one process.")
public final class DevCommand implements Callable<Integer> {

  @Option(names = "--data", description = "Data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data")
  Path data;

  @Option(names = "--config", description = "YAML config file; every key has a default.")
  Path config;

  @Option(names = "--bind", description = "Address the endpoints listen on (default 127.0.0.1).")
  String bind;

  @Option(names = "--ec2-port", description = "EC2 port (default 8773; 0 = any free port).")
  Integer ec2Port;

  @Option(names = "--s3-port", description = "S3 port (default 8779; 0 = any free port).")
  Integer s3Port;

  @Option(names = "--console-port", description = "Console and admin API port (default 8780; 0 = any).")
  Integer consolePort;

  @Option(names = "--management-port", description = "Management port (default 8781; 0 = any).")
  Integer managementPort;

  @Option(names = "--agent-port", description = "Node-agent port, mutual TLS (default 8775; 0 = any).")
  Integer agentPort;

  @Option(names = "--hypervisor-uri", description = "libvirt URI of the in-process node agent (default: ${DEFAULT-VALUE}; qemu:///system boots real guests).", defaultValue = "test:///default")
  String hypervisorUri;

  @Option(names = "--virt-type", description = "Guests' virtualization with real libvirt: kvm, qemu (emulation) or auto, which boots the tiny image under KVM first and falls back to qemu (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String virtType;

  @Option(names = "--system-image", description = "Folder of the tiny image (images/tiny/build.sh) to register as canopy-tiny (default: $CANOPY_TINY_IMAGE).")
  Path systemImage;

  @Override
  public Integer call() throws Exception {
    CanopyConfig effective;
    try {
      effective = config == null ? CanopyConfig.defaults() : ConfigLoader.load(config);
      effective = effective.withPorts(effective.ports().override(ec2Port, s3Port, consolePort, managementPort, agentPort));
      if (bind != null) {
        effective = effective.withBindAddress(bind);
      }
    } catch (ConfigException e) {
      System.err.println("canopy dev: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    DevCloud cloud;
    try {
      Optional<Path> image = Optional.ofNullable(systemImage)
          .or(() -> Optional.ofNullable(System.getenv("CANOPY_TINY_IMAGE")).map(Path::of));
      if (!List.of("kvm", "qemu", "auto").contains(virtType.toLowerCase(java.util.Locale.ROOT))) {
        System.err.println("canopy dev: --virt-type must be kvm, qemu or auto, not " + virtType);
        return 2;
      }
      cloud = DevCloud.start(new DevOptions(data, effective, hypervisorUri, image, virtType), System.out);
    } catch (Exception e) {
      System.err.println("canopy dev: could not start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("canopy dev: stopping");
      cloud.close();
      System.out.println("canopy dev: stopped");
      stopped.countDown();
    }, "canopy-shutdown"));
    stopped.await();
    return 0;
  }
}
