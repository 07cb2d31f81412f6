package dev.canopy.cloud.gridtunnel;

import static dev.canopy.cloud.gridtunnel.HostNamespaces.FIRST_ADDRESS;
import static dev.canopy.cloud.gridtunnel.HostNamespaces.SECOND_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.grid.GridName;
import dev.canopy.cloud.lease.net.LeaseTestPki;
import dev.canopy.node.protocol.PeerCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controllers on two hosts (network namespaces joined by a veth pair), each a grid member in
 * its own JVM behind its tunnel, exactly as {@code ControllerCloud} starts them: they form one
 * cluster through the tunnel, and what one writes the other reads. A stranger on the network that
 * knows the cluster name and dials a controller's address gets nothing: the grid port there speaks
 * only mutual TLS. Needs root and {@code ip netns}; skipped, naming what is missing, otherwise.
 */
class GridTunnelAcrossHostsTest {

  private static final String CONTROLLERS = "1=" + FIRST_ADDRESS + ",2=" + SECOND_ADDRESS;

  @TempDir static Path dir;
  static HostNamespaces hosts;
  static HostProcess first;
  static HostProcess second;
  static String clusterName;

  @BeforeAll
  static void start() throws Exception {
    Optional<String> missing = HostNamespaces.missing();
    assumeTrue(missing.isEmpty(), () -> "needs " + missing.orElseThrow() + " to put two hosts on this machine");
    hosts = HostNamespaces.create();
    LeaseTestPki pki = new LeaseTestPki();
    clusterName = GridName.of(MasterKey.generate(new SecureRandom()));
    first = HostProcess.start(hosts.first, dir.resolve("host-1.log"),
        "member", "1", CONTROLLERS, pkiDir(pki.controller(1)).toString(), dir.resolve("store-1").toString(), clusterName);
    first.awaitLine("started");
    second = HostProcess.start(hosts.second, dir.resolve("host-2.log"),
        "member", "2", CONTROLLERS, pkiDir(pki.controller(2)).toString(), dir.resolve("store-2").toString(), clusterName);
    first.awaitLine("ready");
    second.awaitLine("ready");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (HostProcess host : new HostProcess[] {second, first}) {
        if (host != null) {
          host.close();
        }
      }
    } finally {
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  void membersOnTwoHostsFormOneClusterThroughTheTunnel() {
    assertThat(first.awaitLine("ready")).isEqualTo("ready members=2");
    assertThat(second.awaitLine("ready")).isEqualTo("ready members=2");
    assertThat(first.awaitLine("started")).as("a member's address is its loopback alias").isEqualTo("started 127.77.0.1:5701");
  }

  @Test
  void whatOneHostWritesTheOtherReads() {
    assertThat(first.ask("put greeting from-host-1", "put")).isEqualTo("put ok");
    assertThat(second.ask("get greeting", "get")).isEqualTo("get from-host-1");

    assertThat(second.ask("put reply from-host-2", "put")).isEqualTo("put ok");
    assertThat(first.ask("get reply", "get")).isEqualTo("get from-host-2");
  }

  @Test
  void aClientAndAMemberThatKnowTheClusterNameAndDialAControllerDirectlyGetNothing() throws Exception {
    assertThat(first.ask("put greeting from-host-1", "put")).isEqualTo("put ok");
    try (HostProcess intruder = HostProcess.start(hosts.first, dir.resolve("intruder.log"),
        "intrude", SECOND_ADDRESS + ":" + TunnelledMember.PORT, clusterName, FIRST_ADDRESS)) {
      assertThat(intruder.awaitLine("client:")).isEqualTo("client: refused");
      // Alone in a cluster of its own, or given up joining: either way, nothing of the controllers'.
      assertThat(intruder.awaitLine("member:")).isIn("member: members=1 value=null", "member: refused");
      intruder.awaitExit();
    }
    assertThat(second.ask("get greeting", "get")).as("the cluster is unharmed").isEqualTo("get from-host-1");
  }

  /** Writes a controller's key, certificate and CA certificate as PEM files, as a controller would hold them. */
  private static Path pkiDir(TlsCredentials credentials) throws Exception {
    String name = credentials.certificate().getSubjectX500Principal().getName().replaceAll("[^A-Za-z0-9]", "_");
    Path pki = Files.createDirectories(dir.resolve("pki-" + name));
    Files.writeString(pki.resolve("key.pem"), PeerCertificates.privateKeyToPem(credentials.key()));
    Files.writeString(pki.resolve("cert.pem"), PeerCertificates.toPem(credentials.certificate()));
    Files.writeString(pki.resolve("ca.pem"), PeerCertificates.toPem(credentials.ca()));
    return pki;
  }
}
