package dev.canopy.deploy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can boot real guests through libvirtd, and if not, what is missing, by
 * name: tests that need it skip with that reason (deploy/libvirtd start, as root, provides it).
 */
final class LibvirtHost {

  static final String URI = "qemu:///system";

  private LibvirtHost() {}

  /** What stops real guests here, or empty when nothing does. */
  static Optional<String> missing() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("not root: canopy's node agent writes into libvirt's dnsmasq directory as root");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
      return Optional.of("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/virsh"))) {
      return Optional.of("virsh is not installed (apt-get install libvirt-clients)");
    }
    if (HostProbe.run(List.of("virsh", "-q", "-c", URI, "version"), 10).exit() != 0) {
      return Optional.of("libvirtd does not answer on " + URI + " (start it with deploy/libvirtd start)");
    }
    if (!Files.isRegularFile(CanopyProcess.TINY_IMAGE.resolve("vmlinuz"))) {
      return Optional.of("no tiny image in " + CanopyProcess.TINY_IMAGE + " (build it with images/tiny/build.sh)");
    }
    return Optional.empty();
  }

  /** Skips the calling test (or class) naming what is missing, and says so in the test's output. */
  static void assumeUsable(String test) throws Exception {
    Optional<String> missing = missing();
    missing.ifPresent(reason -> System.out.printf("%s: skipped, %s%n", test, reason));
    org.junit.jupiter.api.Assumptions.assumeTrue(missing.isEmpty(), () -> test + " needs real guests: " + missing.orElseThrow());
  }
}
