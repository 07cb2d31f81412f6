package dev.canopy.deploy.it;

/**
 * What integration test classes share on the host, for {@code @ResourceLock}: the suite runs
 * classes two at a time (deploy/pom.xml), and two classes that hold the same resource never
 * overlap. Classes that start a cloud of several JVMs (local-cluster) are {@code @Isolated}
 * instead: their starts are CPU-heavy and their lease and anti-entropy timings are what they
 * check, so nothing runs beside them. A class that only starts {@code canopy dev} on ephemeral
 * ports needs neither.
 */
final class ItResources {

  /** libvirtd with QEMU (qemu:///system), its networks, and the host's iptables. */
  static final String HOST_NETWORK = "canopy.it.host-network";

  private ItResources() {}
}
