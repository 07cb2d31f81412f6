package dev.canopy.deploy.dev;

import dev.canopy.deploy.Causes;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.deploy.config.EndpointOptions;

/** {@code canopy dev}: the cloud in a box, every role in one process, until SIGTERM or Ctrl-C. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Start the cloud in a box: EC2, S3, console and management in one process.")
public final class DevCommand implements Callable<Integer> {

  @Option(names = "--data", description = "Data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data")
  Path data;

  @Mixin
  EndpointOptions endpoints;

  @Option(names = "--bind", description = "Address the endpoints listen on (default 127.0.0.1).")
  String bind;

  @Option(names = "--s3-port", description = "S3 port (default 8779; 0 = any free port).")
  Integer s3Port;

  @Option(names = "--riak-port", description = "Riak HTTP interface port (default 8098; 0 = any free port).")
  Integer riakPort;

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
      effective = endpoints.effective(s3Port, bind);
      effective = effective.withPorts(effective.ports().withRiak(riakPort));
    } catch (ConfigException e) {
      System.err.println("canopy dev: " + e.getMessage());
      return 2;
    }
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
      System.err.println("canopy dev: could not start: " + Causes.describe(e));
      return 1;
    }
    StopOnSignal.await("canopy dev", cloud::close);
    return 0;
  }
}
