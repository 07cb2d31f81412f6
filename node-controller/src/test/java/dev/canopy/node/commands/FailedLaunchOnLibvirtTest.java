package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.ImageObject;
import dev.canopy.node.protocol.InstanceSpec;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A launch that fails half-way (its image cannot be fetched) on libvirt's test driver: nothing
 * half-made is defined, the controller's terminate cleans up what the launch had taken (address,
 * firewall, files, image pin), and a retry of the same launch keeps the address it reported.
 */
class FailedLaunchOnLibvirtTest extends NodeOnTestDriverTest {

  private static final String SOME_SHA256 = "5f".repeat(32);

  /** The spec, its image on a port where nothing listens. */
  private static InstanceSpec unreachableImage(String id) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    InstanceSpec s = NodeOnTestDriver.spec(id);
    ImageFiles image = new ImageFiles(new ImageObject("http://127.0.0.1:" + port + "/images/root.img?X-Amz-Signature=deadbeef",
        SOME_SHA256, 1 << 20), null, null);
    return new InstanceSpec(s.instanceId(), s.accountId(), s.instanceType(), s.vcpus(), s.memoryMib(), s.rootDiskGib(),
        s.imageId(), s.userDataBase64(), s.sshPublicKey(), s.macAddress(), image, s.firewall());
  }

  @Test
  void aLaunchWhoseImageCannotBeFetchedIsADiskErrorAndDefinesNothing() throws Exception {
    String id = TestDriver.instanceId();

    Ack ack = node.dispatch(run(unreachableImage(id), 1));

    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("DiskError");
    assertThat(ack.message()).as("the link's signature never leaves the node").doesNotContain("deadbeef");
    assertThat(TestDriver.exists(virsh, id)).as("no half-made domain").isFalse();
    assertThat(node.compute.inventory().domains()).isEmpty();
  }

  @Test
  void terminatingAFailedLaunchFreesItsAddressFirewallAndFiles() throws Exception {
    String id = TestDriver.instanceId();
    assertThat(node.dispatch(run(unreachableImage(id), 1)).ok()).isFalse();
    assertThat(node.hostsFile(id)).as("the launch had taken an address").exists();

    Ack terminate = node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1));

    assertThat(terminate.ok()).as("%s %s", terminate.error(), terminate.message()).isTrue();
    assertThat(terminate.result().get("state").asText()).isEqualTo("terminated");
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.filters.filter("canopy-" + id)).isEmpty();
    assertThat(node.files.dir(id)).doesNotExist();
  }

  @Test
  void aRetryAfterAFailedLaunchKeepsTheAddressItHadAndRuns() throws Exception {
    String id = TestDriver.instanceId();
    assertThat(node.dispatch(run(unreachableImage(id), 1)).ok()).isFalse();
    String address = Files.readString(node.hostsFile(id)).trim().split(",")[1];

    // The controller re-drives the launch; this time without image files (the fallback disk).
    Ack retry = node.dispatch(run(NodeOnTestDriver.spec(id), 1));

    assertThat(retry.ok()).as("%s %s", retry.error(), retry.message()).isTrue();
    assertThat(retry.result().get("privateIp").asText()).isEqualTo(address);
    assertThat(retry.result().get("state").asText()).isEqualTo("running");
    assertThat(TestDriver.exists(virsh, id)).isTrue();
  }
}
