package dev.canopy.deploy.it;

/**
 * What integration test classes share on the host, for {@code @ResourceLock}: the suite runs
 * classes in parallel (deploy/pom.xml), and two classes that hold the same resource never overlap.
 * A class that only starts {@code canopy dev} on ephemeral ports needs none.
 */
final class ItResources {

  /**
   * Clouds of several JVMs (local-cluster): each start is CPU-heavy and their lease and
   * anti-entropy timings are what those tests check, so one at a time.
   */
  static final String MULTI_PROCESS_CLOUD = "canopy.it.multi-process-cloud";

  /** libvirtd with QEMU (qemu:///system), its networks, and the host's iptables. */
  static final String HOST_NETWORK = "canopy.it.host-network";

  private ItResources() {}
}
