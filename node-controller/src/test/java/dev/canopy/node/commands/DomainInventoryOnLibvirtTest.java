package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

/** What heartbeats report from libvirt's test driver: this node's domains in libvirt's states, and capacity. */
class DomainInventoryOnLibvirtTest extends NodeOnTestDriverTest {

  @Test
  void theNodesDomainsAreReportedSortedInTheStatesLibvirtHasThemIn() throws Exception {
    List<String> ids = new ArrayList<>(List.of(running(), running(), running()));
    node.dispatch(forceStop(ids.get(1), 1));
    Domain paused = virsh.domainLookupByName(ids.get(2));
    paused.suspend();
    paused.free();
    String operators = TestDriver.instanceId(); // an operator's own domain, of the same name shape
    virsh.domainDefineXML("<domain type='test'><name>" + operators + "</name><memory unit='MiB'>64</memory>"
        + "<os><type arch='x86_64'>hvm</type></os></domain>").free();

    List<DomainReport> reported = node.compute.inventory().domains();

    List<DomainReport> expected = new ArrayList<>(List.of(new DomainReport(ids.get(0), "running"),
        new DomainReport(ids.get(1), "shutoff"), new DomainReport(ids.get(2), "paused")));
    expected.sort(Comparator.comparing(DomainReport::instanceId));
    assertThat(reported).containsExactlyElementsOf(expected);
    virsh.domainLookupByName(operators).undefine();
  }

  @Test
  void aTerminatedInstanceLeavesTheReport() {
    String kept = running();
    String gone = running();

    node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, gone, 1));

    assertThat(node.compute.inventory().domains()).containsExactly(new DomainReport(kept, "running"));
  }

  @Test
  void capacityIsLibvirtsHostAfterTheOvercommitRatios() {
    // The test driver's host: 16 CPUs, 3 GiB.
    DomainInventory inventory = new DomainInventory(node.compute.hypervisor(), new NodeIdentity(node.nodeId), dataDir, 100,
        4.0, 1.5, 1.2);

    NodeCapacity capacity = inventory.capacity();

    assertThat(capacity).isEqualTo(new NodeCapacity(64, 4608, 120));
    assertThat(new DomainInventory(node.compute.hypervisor(), new NodeIdentity(node.nodeId), dataDir, 0, 1, 1, 1)
        .capacity().diskGib()).as("unset: the data folder's file system").isPositive();
  }
}
