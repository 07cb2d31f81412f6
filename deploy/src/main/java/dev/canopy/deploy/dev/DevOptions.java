package dev.canopy.deploy.dev;

import dev.canopy.deploy.config.CanopyConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code canopy dev} was asked for.
 *
 * @param dataDir where everything lives
 * @param config the effective configuration
 * @param hypervisorUri the libvirt URI of the in-process node agent
 * @param systemImage the tiny image's folder (images/tiny/build.sh), registered at start when present
 * @param virtType kvm, qemu or auto (probe KVM with the tiny image), for real libvirt
 */
public record DevOptions(Path dataDir, CanopyConfig config, String hypervisorUri, Optional<Path> systemImage, String virtType) {

  public DevOptions(Path dataDir, CanopyConfig config) {
    this(dataDir, config, "test:///default", Optional.empty(), "auto");
  }
}
