package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Real guests: the cloud in a box on libvirtd ({@code qemu:///system}, QEMU without KVM, as
 * DESIGN.md says these machines need), driven with the aws CLI v2. Needs root, libvirtd running
 * (deploy/libvirtd start; .ci/run does it) and the tiny image. One guest goes through the whole
 * life: boot to its console marker, an address, its security group opened and closed, stop and
 * start, and terminate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated
@ExtendWith(LibvirtDiagnostics.class)
class RealGuestsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BRIDGE = "canopy0";
  private static final int DATAGRAMS_PER_BURST = 50;
  private static final long BURST_PAUSE_MILLIS = 20;

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String group;
  static String instanceId;
  static String privateIp;

  @BeforeAll
  static void start() throws Exception {
    LibvirtHost.assumeUsable("RealGuestsIT");
    // QEMU runs as libvirt's unprivileged user: the guest's files must be reachable through every directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    canopy = CanopyProcess.start(dir.resolve("data"), Map.of(), List.of("--hypervisor-uri", "qemu:///system", "--virt-type", "qemu"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy == null) {
      return; // skipped: no real guests here
    }
    if (instanceId != null) {
      AwsCli.run(canopy, "ec2", "ec2", "terminate-instances", "--instance-ids", instanceId);
    }
    canopy.close();
  }

  static JsonNode ec2(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("ec2"));
    all.addAll(List.of(args));
    all.addAll(List.of("--output", "json"));
    String out = AwsCli.run(canopy, "ec2", all.toArray(String[]::new)).assertOk().stdout();
    return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
  }

  static String console() throws Exception {
    return ec2("get-console-output", "--instance-id", instanceId, "--latest").path("Output").asText("");
  }

  static JsonNode describe() throws Exception {
    return ec2("describe-instances", "--instance-ids", instanceId).path("Reservations").get(0).path("Instances").get(0);
  }

  @Test
  @Order(1)
  void runInstancesBootsAGuestThatPrintsItsInstanceIdAndGetsAnAddress() throws Exception {
    group = ec2("create-security-group", "--group-name", "guests", "--description", "real guests").path("GroupId").asText();
    String image = ec2("describe-images", "--filters", "Name=name,Values=canopy-tiny").path("Images").get(0).path("ImageId").asText();
    long launched = System.nanoTime();
    JsonNode run = ec2("run-instances", "--image-id", image, "--instance-type", "t3.micro", "--security-group-ids", group);
    instanceId = run.path("Instances").get(0).path("InstanceId").asText();

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> console().contains("CANOPY-TINY-BOOTED instance-id=" + instanceId));
    double bootSeconds = (System.nanoTime() - launched) / 1e9;
    System.out.printf("RealGuestsIT: run-instances to boot marker %.1f s%n", bootSeconds);

    JsonNode instance = describe();
    assertThat(instance.path("State").path("Name").asText()).isEqualTo("running");
    privateIp = instance.path("PrivateIpAddress").asText();
    assertThat(privateIp).startsWith("10.211.0.");
    // The guest's DHCP client got the address the node assigned and DescribeInstances shows.
    await().atMost(Duration.ofSeconds(30)).until(() -> console().contains("CANOPY-TINY-ADDRESS " + privateIp));
  }

  @Test
  @Order(2)
  void theSecurityGroupDecidesWhetherANeighbourReachesTheGuestsWebServer() throws Exception {
    try (HostProbe neighbour = HostProbe.plug(BRIDGE, "10.211.0.250/24")) {
      assertThat(neighbour.httpGet(privateIp)).as("port 80 before any rule").isNull();

      ec2("authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");
      long opened = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> neighbour.httpGet(privateIp) != null);
      System.out.printf("RealGuestsIT: authorize to reachable %.1f s%n", (System.nanoTime() - opened) / 1e9);
      assertThat(neighbour.httpGet(privateIp)).contains("canopy tiny image, instance " + instanceId);

      ec2("revoke-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> neighbour.httpGet(privateIp) == null);
    }
  }

  /**
   * Bytes the instance received and sent over the last hour, as the usage API graphs them (the
   * folded series plus the batches not folded yet), summed over its vNICs.
   */
  static long[] trafficTotals() throws Exception {
    Credential admin = CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE,
        IdentityService.ADMIN_ACCOUNT_ID).orElseThrow();
    URI uri = URI.create(canopy.endpoint("console") + "/api/usage/instances/" + instanceId + "?step=3600");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        AdminRequests.signedGet(uri, admin.accessKeyId(), admin.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    long rx = 0;
    long tx = 0;
    for (JsonNode line : JSON.readTree(response.body()).path("series")) {
      for (JsonNode point : line.path("points")) {
        switch (line.path("metric").asText()) {
          case "rxBytes" -> rx += point.get(1).asLong();
          case "txBytes" -> tx += point.get(1).asLong();
          default -> { }
        }
      }
    }
    return new long[] {rx, tx};
  }

  @Test
  @Order(3)
  void trafficPushedToTheGuestIsMeteredAsReceivedByIt() throws Exception {
    await().atMost(Duration.ofSeconds(40)).until(() -> trafficTotals()[0] > 0); // the first samples are in
    int payload = 1_000;
    InetAddress guest = InetAddress.getByName(privateIp);
    try (DatagramSocket socket = new DatagramSocket()) {
      // The host must know the guest's MAC first: while ARP resolves, the kernel queues only a
      // few packets per neighbour and drops the rest, which the guest then never receives.
      socket.send(new DatagramPacket(new byte[payload], payload, guest, 9));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> HostProbe.sh("ip neigh show " + privateIp).contains("lladdr"));
      long[] before = trafficTotals();
      int datagrams = 2_000;
      long sent = System.nanoTime();
      for (int i = 0; i < datagrams; i++) {
        socket.send(new DatagramPacket(new byte[payload], payload, guest, 9));
        if (i % DATAGRAMS_PER_BURST == DATAGRAMS_PER_BURST - 1) {
          // Paced: an emulated guest on a busy CI machine drains its virtio queue slowly, and the
          // tap drops what overflows its queue before the guest sees (and libvirt counts) it.
          TimeUnit.MILLISECONDS.sleep(BURST_PAUSE_MILLIS);
        }
      }
      // Each datagram is payload + UDP 8 + IPv4 20 + Ethernet 14 bytes on the tap.
      long onTheWire = (long) datagrams * (payload + 8 + 20 + 14);
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> trafficTotals()[0] - before[0] >= onTheWire);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("metered " + (trafficTotals()[0] - before[0]) + " of " + onTheWire
            + " bytes received; the guest's interface as libvirt counts it:\n" + interfaceStats(), e);
      }
      System.out.printf("RealGuestsIT: traffic to stored samples %.1f s%n", (System.nanoTime() - sent) / 1e9);
      long[] after = trafficTotals();
      // Received, not sent: the guest answered none of it (a little ARP and DHCP noise aside).
      assertThat(after[0] - before[0]).isBetween(onTheWire, onTheWire + 64 * 1024);
      assertThat(after[1] - before[1]).isLessThan(64 * 1024);
    }
  }

  /** What libvirt reports for each of the guest's interfaces (drops included), for a failure's message. */
  static String interfaceStats() throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : HostProbe.sh("virsh -q -c qemu:///system domiflist " + instanceId).split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length > 0 && !fields[0].isEmpty()) {
        out.append(HostProbe.run(List.of("virsh", "-c", "qemu:///system", "domifstat", instanceId, fields[0]), 10).out());
      }
    }
    return out.toString();
  }

  @Test
  @Order(4)
  void aRestartedAgentAdoptsTheRunningGuestWithoutRestartingIt() throws Exception {
    String domainId = HostProbe.sh("virsh -q -c qemu:///system domid " + instanceId).trim();
    int boots = console().split("CANOPY-TINY-BOOTED", -1).length;
    canopy.restart();
    await().atMost(Duration.ofSeconds(60)).until(() -> describe().path("State").path("Name").asText().equals("running"));
    assertThat(HostProbe.sh("virsh -q -c qemu:///system domid " + instanceId).trim()).isEqualTo(domainId);
    assertThat(console().split("CANOPY-TINY-BOOTED", -1).length).isEqualTo(boots);
  }

  @Test
  @Order(5)
  void aGuestKilledBehindTheAgentsBackIsReportedAndItsInstanceStops() throws Exception {
    HostProbe.sh("virsh -q -c qemu:///system destroy " + instanceId);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> describe().path("State").path("Name").asText().equals("stopped"));
    ec2("start-instances", "--instance-ids", instanceId);
    ec2("wait", "instance-running", "--instance-ids", instanceId);
  }

  @Test
  @Order(6)
  void stopPowersTheGuestOffByAcpiAndStartBootsItAgain() throws Exception {
    ec2("stop-instances", "--instance-ids", instanceId);
    ec2("wait", "instance-stopped", "--instance-ids", instanceId);
    assertThat(console()).contains("CANOPY-TINY-POWEROFF");
    int boots = console().split("CANOPY-TINY-BOOTED instance-id=" + instanceId, -1).length;
    ec2("start-instances", "--instance-ids", instanceId);
    ec2("wait", "instance-running", "--instance-ids", instanceId);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> console().split("CANOPY-TINY-BOOTED instance-id=" + instanceId, -1).length > boots);
    assertThat(describe().path("PrivateIpAddress").asText()).isEqualTo(privateIp);
  }

  @Test
  @Order(7)
  void terminateRemovesTheDomainAndItsDisk() throws Exception {
    ec2("terminate-instances", "--instance-ids", instanceId);
    ec2("wait", "instance-terminated", "--instance-ids", instanceId);
    String id = instanceId;
    instanceId = null;
    await().atMost(Duration.ofSeconds(30)).until(() ->
        HostProbe.run(List.of("virsh", "-c", "qemu:///system", "dominfo", id), 10).exit() != 0);
    assertThat(canopy.data().resolve("node/instances/" + id)).doesNotExist();
  }
}
