package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.canopy.core.time.SystemTime;
import dev.canopy.node.hypervisor.DomainMetadata;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers against real libvirt through libvirt-java and JNA, on libvirt's in-process
 * {@code test:///default} driver. Without the libvirt0 package this fails (never skips).
 *
 * <p>What the test driver does differently from a real host: ACPI shutdown shuts the domain off at
 * once, reboot leaves it running, and nothing boots (no disk, kernel or console is touched). All
 * connections to {@code test:///default} in one process share one state, so each test uses its
 * own instance ids and the driver's built-in domain "test" is always there.
 */
class LibvirtTestDriverTest {

  private static final String URI = "test:///default";

  @TempDir Path dataDir;
  private NodeCompute nodeA;

  @BeforeEach
  void open() {
    nodeA = open("node-a", dataDir.resolve("a"));
  }

  @AfterEach
  void close() {
    nodeA.close();
  }

  private static NodeCompute open(String nodeId, Path dir) {
    try {
      return NodeCompute.open(NodeSettings.defaults(nodeId, dir).withStop(Duration.ofSeconds(5), Duration.ofMillis(20)),
          new HypervisorSettings(URI, Duration.ofSeconds(10), 2, 16), SystemTime.INSTANCE);
    } catch (HypervisorException e) {
      if (e.kind() == HypervisorException.Kind.LIBRARY_MISSING) {
        fail("libvirt's C library is missing: install the Debian package libvirt0 (apt-get install libvirt0). " + e.getMessage());
      }
      throw e;
    }
  }

  private Ack dispatch(NodeCompute node, dev.canopy.node.protocol.Command c) {
    Ack ack = node.dispatcher().dispatch(c);
    assertThat(ack.ok()).as("%s: %s %s", c.type(), ack.error(), ack.message()).isTrue();
    return ack;
  }

  @Test
  void theFullLifecycleOnRealLibvirt() {
    String id = "i-00000000000000a01";
    Hypervisor hv = nodeA.hypervisor();

    Ack ran = dispatch(nodeA, run(spec(id), 1));
    assertThat(ran.result().get("state").asText()).isEqualTo("running");
    assertThat(hv.state(id)).isEqualTo(DomainState.RUNNING);
    DomainMetadata meta = hv.find(id).orElseThrow().metadata();
    assertThat(meta).isEqualTo(new DomainMetadata("node-a", id, "111122223333", "t3.micro", "ami-0123456789abcdef0"));
    assertThat(nodeA.inventory().domains()).containsExactly(new DomainReport(id, "running"));

    // The test driver shuts off at once on ACPI shutdown, so the graceful path is the one taken.
    Ack stopped = dispatch(nodeA, on(CommandTypes.STOP_INSTANCE, id, 1));
    assertThat(stopped.result().get("stoppedBy").asText()).isEqualTo("acpi");
    assertThat(hv.state(id)).isEqualTo(DomainState.SHUTOFF);

    dispatch(nodeA, on(CommandTypes.START_INSTANCE, id, 1));
    assertThat(hv.state(id)).isEqualTo(DomainState.RUNNING);
    Ack rebooted = dispatch(nodeA, on(CommandTypes.REBOOT_INSTANCE, id, 1));
    assertThat(rebooted.result().get("state").asText()).isEqualTo("running");

    Ack forced = dispatch(nodeA, forceStop(id, 1));
    assertThat(forced.result().get("stoppedBy").asText()).isEqualTo("destroy");
    // StartInstances sends the full spec: a shut-off domain is defined again (same UUID) and started.
    Ack rerun = dispatch(nodeA, run(spec(id), 1));
    assertThat(rerun.ok()).as(rerun.message()).isTrue();
    assertThat(hv.state(id)).isEqualTo(DomainState.RUNNING);

    dispatch(nodeA, on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    assertThat(hv.find(id)).isEmpty();
    assertThat(new InstanceFiles(dataDir.resolve("a")).dir(id)).doesNotExist();
    dispatch(nodeA, on(CommandTypes.TERMINATE_INSTANCE, id, 1));
    assertThat(nodeA.inventory().domains()).isEmpty();
  }

  @Test
  void twoAgentsOnOneLibvirtNeverSeeEachOthersDomains() {
    String a = "i-00000000000000a02";
    String b = "i-00000000000000b02";
    try (NodeCompute nodeB = open("node-b", dataDir.resolve("b"))) {
      dispatch(nodeA, run(spec(a), 1));
      dispatch(nodeB, run(spec(b), 1));
      assertThat(nodeA.inventory().domains()).containsExactly(new DomainReport(a, "running"));
      assertThat(nodeB.inventory().domains()).containsExactly(new DomainReport(b, "running"));
      // Both see everything through libvirt, including the driver's own "test" domain...
      assertThat(nodeA.hypervisor().list()).extracting(d -> d.name()).contains(a, b, "test");

      // ...but cannot act on the other's.
      assertThat(nodeB.dispatcher().dispatch(on(CommandTypes.STOP_INSTANCE, a, 1)).error()).isEqualTo("NoSuchDomain");
      assertThat(nodeB.dispatcher().dispatch(on(CommandTypes.TERMINATE_INSTANCE, a, 1)).ok()).isTrue();
      assertThat(nodeA.hypervisor().state(a)).isEqualTo(DomainState.RUNNING);
      assertThat(nodeB.dispatcher().dispatch(run(spec(a), 1)).error()).isEqualTo("DomainConflict");

      dispatch(nodeA, on(CommandTypes.TERMINATE_INSTANCE, a, 1));
      dispatch(nodeB, on(CommandTypes.TERMINATE_INSTANCE, b, 1));
    }
  }

  @Test
  void libvirtErrorsComeBackTyped() {
    Hypervisor hv = nodeA.hypervisor();
    assertThatThrownBy(() -> hv.start("i-0000000000000dead"))
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isEqualTo(HypervisorException.Kind.NO_DOMAIN);
          assertThat(e.libvirtCode()).isEqualTo(42);
          assertThat(e.libvirtCodeName()).isEqualTo("VIR_ERR_NO_DOMAIN");
        });
    assertThatThrownBy(() -> hv.define("<domain><bogus"))
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isEqualTo(HypervisorException.Kind.FAILED);
          assertThat(e.libvirtCodeName()).startsWith("VIR_ERR_XML");
        });

    String id = "i-00000000000000a03";
    dispatch(nodeA, run(spec(id), 1));
    dispatch(nodeA, forceStop(id, 1));
    assertThatThrownBy(() -> hv.destroy(id))
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_STATE);
          assertThat(e.libvirtCode()).isEqualTo(55);
        });
    // Through a handler: an Ack with libvirt's code in the message, never a stack trace.
    assertThatThrownBy(() -> hv.reboot(id)).isInstanceOf(HypervisorException.class);
    Ack reboot = nodeA.dispatcher().dispatch(on(CommandTypes.REBOOT_INSTANCE, id, 1));
    assertThat(reboot.error()).isEqualTo("IncorrectState");
    dispatch(nodeA, on(CommandTypes.TERMINATE_INSTANCE, id, 1));
  }

  @Test
  void capacityComesFromLibvirtsNodeInfo() {
    // The test driver reports 16 CPUs and 3 GiB (3145728 KiB).
    NodeCapacity capacity = nodeA.inventory().capacity();
    assertThat(capacity.vcpus()).isEqualTo(16);
    assertThat(capacity.memoryMib()).isEqualTo(3072);
    assertThat(capacity.diskGib()).isPositive();
  }

  @Test
  void badConnectionUrisAreTypedFailures() {
    assertThatThrownBy(() -> dev.canopy.node.hypervisor.LibvirtHypervisor.connect(
        new HypervisorSettings("nosuchdriver:///x", Duration.ofSeconds(10), 1, 1)))
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isIn(HypervisorException.Kind.FAILED);
          assertThat(e.libvirtCode()).isPositive();
        });
  }
}
