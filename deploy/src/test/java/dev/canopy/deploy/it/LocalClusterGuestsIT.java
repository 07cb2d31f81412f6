package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;

/**
 * Real guests on a three-controller cloud with three storage nodes ({@code local-cluster up
 * --hypervisor-uri qemu:///system}): with the first storage node killed, the image's digest comes
 * from another and its bytes from another's S3, through the links a follower's launch was given, its console output and its security group's rule changes, asked of a
 * follower, go through the lease holder to the node agent (whose firewall follows). Needs what
 * {@link RealGuestsIT} needs (root, libvirtd, the tiny image); skips naming what is missing.
 */
@Isolated
@ExtendWith(LibvirtDiagnostics.class)
class LocalClusterGuestsIT {

  private static final Duration BOOT = Duration.ofSeconds(180);
  private static final String BRIDGE = "canopy0";
  private static LocalClusterHarness cluster;
  private static Path dir;
  private static String instanceId;

  @BeforeAll
  static void up() throws Exception {
    LibvirtHost.assumeUsable("LocalClusterGuestsIT");
    dir = Files.createTempDirectory("canopy-cluster-guests-it");
    // QEMU runs as libvirt's unprivileged user: the guests' files must be reachable through every directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    cluster = LocalClusterHarness.up(dir, "127.0.8", 3, 1, "--storage", "3", "--hypervisor-uri", LibvirtHost.URI, "--virt-type", "qemu");
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster == null) {
      return; // skipped: no real guests here
    }
    if (instanceId != null) {
      try (Ec2Client ec2 = cluster.ec2(1)) {
        ec2.terminateInstances(r -> r.instanceIds(instanceId));
      } catch (RuntimeException e) {
        System.out.println("LocalClusterGuestsIT: terminate at teardown failed: " + e);
      }
    }
    cluster.close();
    LocalClusterHarness.keepLogs(dir, "local-cluster-guests-it-logs");
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aFollowerBootsARealGuestWhileAStorageNodeIsDownAndItsConsoleAndFirewallGoThroughTheHolder() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), Duration.ofSeconds(60));
    // The node controllers once read every object's digest from, and sent every download to.
    ProcessHandle firstStorage = ProcessHandle.of(cluster.cluster().path("storage").get(0).path("pid").asLong()).orElseThrow();
    firstStorage.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !firstStorage.isAlive());
    int follower = cluster.others(holder).get(0);
    try (Ec2Client ec2 = cluster.ec2(follower)) {
      String image = ec2.describeImages(r -> r.filters(f -> f.name("name").values("canopy-tiny"))).images().get(0).imageId();
      String group = ec2.createSecurityGroup(r -> r.groupName("guests").description("real guests")).groupId();
      instanceId = ec2.runInstances(r -> r.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1).securityGroupIds(group))
          .instances().get(0).instanceId();

      await().atMost(BOOT).pollInterval(Duration.ofSeconds(1))
          .until(() -> console(ec2).contains("CANOPY-TINY-BOOTED instance-id=" + instanceId));
      Instance running = describe(ec2);
      assertThat(running.state().name()).isEqualTo(InstanceStateName.RUNNING);
      String privateIp = running.privateIpAddress();
      assertThat(privateIp).startsWith("10.211.0.");

      try (HostProbe neighbour = HostProbe.plug(BRIDGE, "10.211.0.250/24")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> console(ec2).contains("CANOPY-TINY-ADDRESS " + privateIp));
        assertThat(neighbour.httpGet(privateIp)).as("port 80 before any rule").isNull();
        // Through the follower: only the holder's commands reach the agent, so the follower forwards the change.
        IpPermission http = IpPermission.builder().ipProtocol("tcp").fromPort(80).toPort(80)
            .ipRanges(range -> range.cidrIp("0.0.0.0/0")).build();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(http));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> neighbour.httpGet(privateIp) != null);
        assertThat(neighbour.httpGet(privateIp)).contains("canopy tiny image, instance " + instanceId);
        ec2.revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(http));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> neighbour.httpGet(privateIp) == null);
      }

      ec2.terminateInstances(r -> r.instanceIds(instanceId));
      await().atMost(Duration.ofSeconds(90)).until(() -> describe(ec2).state().name() == InstanceStateName.TERMINATED);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          !HostProbe.sh("virsh -q -c " + LibvirtHost.URI + " list --all --name").contains(instanceId));
      instanceId = null;
    }
  }

  private static String console(Ec2Client ec2) {
    String output = ec2.getConsoleOutput(r -> r.instanceId(instanceId).latest(true)).output();
    return output == null ? "" : new String(Base64.getDecoder().decode(output), StandardCharsets.UTF_8);
  }

  private static Instance describe(Ec2Client ec2) {
    return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0);
  }
}
