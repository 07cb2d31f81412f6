package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.forceStop;
import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.NodeOnTestDriver.spec;
import static dev.canopy.node.hypervisor.TestDriver.all;
import static dev.canopy.node.hypervisor.TestDriver.at;
import static dev.canopy.node.hypervisor.TestDriver.domainXml;
import static dev.canopy.node.hypervisor.TestDriver.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.node.hypervisor.DomainMetadata;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.FiltersAside;
import dev.canopy.node.hypervisor.ForwardingHypervisor;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.network.Subnet;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * runInstance on libvirt's test driver, with the node's own network, filters and seeds: what an
 * operator would check afterwards with virsh, in the data folder and in dnsmasq's hosts
 * directory, and what the controller reads in the ack.
 */
class RunInstanceOnLibvirtTest extends NodeOnTestDriverTest {

  private String firstAddress() {
    return Subnet.format(node.network.parsedSubnet().firstGuest());
  }

  @Test
  void aRunDefinesAndStartsADomainThatNamesItsNodeInstanceAndAccount() throws Exception {
    String id = TestDriver.instanceId();
    InstanceSpec spec = spec(id);

    Ack ack = node.dispatch(run(spec, 1));

    assertThat(ack.ok()).as("%s %s", ack.error(), ack.message()).isTrue();
    assertThat(ack.heldEpoch()).isEqualTo(1);
    assertThat(ack.result().get("instanceId").asText()).isEqualTo(id);
    assertThat(ack.result().get("state").asText()).isEqualTo("running");
    assertThat(ack.result().get("privateIp").asText()).isEqualTo(firstAddress());

    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    Domain domain = virsh.domainLookupByName(id);
    assertThat(domain.isPersistent()).as("defined, not transient: it survives a libvirtd restart").isEqualTo(1);
    domain.free();

    Document xml = domainXml(virsh, id);
    assertThat(at(xml, "name").getTextContent()).isEqualTo(id);
    assertThat(at(xml, "memory").getTextContent()).isEqualTo("131072"); // KiB
    assertThat(at(xml, "vcpu").getTextContent()).isEqualTo("1");
    Element metadata = at(xml, "metadata");
    assertThat(canopy(metadata, "node")).isEqualTo(node.nodeId);
    assertThat(canopy(metadata, "instance-id")).isEqualTo(id);
    assertThat(canopy(metadata, "account")).isEqualTo("111122223333");
    assertThat(canopy(metadata, "instance-type")).isEqualTo("t3.micro");
    assertThat(canopy(metadata, "image")).isEqualTo("ami-0123456789abcdef0");

    Element nic = at(xml, "devices", "interface");
    assertThat(nic.getAttribute("type")).isEqualTo("network");
    assertThat(only(nic, "source").getAttribute("network")).isEqualTo(node.network.name());
    assertThat(only(nic, "mac").getAttribute("address")).isEqualTo(spec.macAddress());
    Element filterRef = only(nic, "filterref");
    assertThat(filterRef.getAttribute("filter")).isEqualTo("canopy-" + id);
    Element ip = only(filterRef, "parameter");
    assertThat(ip.getAttribute("name")).isEqualTo("IP");
    assertThat(ip.getAttribute("value")).as("the filter pins the guest to its address").isEqualTo(firstAddress());

    List<Element> disks = all(at(xml, "devices"), "disk");
    assertThat(disks).hasSize(2);
    assertThat(only(disks.get(0), "source").getAttribute("file")).isEqualTo(node.files.rootDisk(id).toString());
    assertThat(only(disks.get(0), "target").getAttribute("dev")).isEqualTo("vda");
    assertThat(only(disks.get(1), "source").getAttribute("file")).isEqualTo(node.files.dir(id).resolve("seed.iso").toString());
    assertThat(all(disks.get(1), "readonly")).hasSize(1);
    assertThat(only(at(xml, "devices", "serial"), "source").getAttribute("path"))
        .isEqualTo(node.files.consoleLog(id).toString());
    // User data and keys go on the seed only; virsh dumpxml must not show them.
    assertThat(domain(id)).doesNotContain("ssh-ed25519");
  }

  @Test
  void aRunLeavesTheDiskTheSeedTheAddressAndTheFilterOnTheNode() throws Exception {
    String id = TestDriver.instanceId();
    InstanceSpec spec = spec(id);

    node.dispatch(run(spec, 1));

    Path disk = node.files.rootDisk(id);
    assertThat(Files.size(disk)).as("the instance type's root disk").isEqualTo(1L << 30);
    assertThat(Isoinfo.file(node.files.dir(id).resolve("seed.iso"), "/meta-data"))
        .contains("instance-id: " + id + "\n", "local-hostname: ip-" + firstAddress().replace('.', '-') + "\n",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7 ops@laptop");
    assertThat(node.hostsFile(id)).as("what dnsmasq hands out").hasContent(spec.macAddress() + "," + firstAddress());
    Document filter = TestDriver.parse(node.filters.filter("canopy-" + id).orElseThrow());
    assertThat(filter.getDocumentElement().getAttribute("name")).isEqualTo("canopy-" + id);
    Element ssh = only(filter.getDocumentElement(), "tcp");
    assertThat(ssh.getAttribute("dstportstart")).isEqualTo("22");
    assertThat(ssh.getAttribute("srcipaddr")).isEqualTo("0.0.0.0");
  }

  @Test
  void theSameCommandTwiceActsOnceAndIsAnsweredTheSame() throws Exception {
    String id = TestDriver.instanceId();
    Command launch = run(spec(id), 1);
    Ack first = node.dispatch(launch);
    assertThat(node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1)).ok()).isTrue();
    assertThat(TestDriver.exists(virsh, id)).isFalse();

    // The controller's retry of the first command (its ack was lost) arrives late.
    Ack again = node.dispatch(launch);

    assertThat(again).isEqualTo(first);
    assertThat(TestDriver.exists(virsh, id)).as("the retry did not launch the instance a second time").isFalse();
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.compute.inventory().domains()).isEmpty();
  }

  @Test
  void aRunOfARunningInstanceChangesNothing() throws Exception {
    String id = TestDriver.instanceId();
    node.dispatch(run(spec(id), 1));
    String uuid = TestDriver.uuid(virsh, id);
    Path seed = node.files.dir(id).resolve("seed.iso");
    FileTime seedWritten = Files.getLastModifiedTime(seed);

    Ack again = node.dispatch(run(resized(spec(id)), 1));

    assertThat(again.ok()).isTrue();
    assertThat(again.result().get("state").asText()).isEqualTo("running");
    assertThat(again.result().get("privateIp").asText()).isEqualTo(firstAddress());
    assertThat(TestDriver.uuid(virsh, id)).isEqualTo(uuid);
    assertThat(at(domainXml(virsh, id), "memory").getTextContent()).as("not redefined while it runs").isEqualTo("131072");
    assertThat(Files.getLastModifiedTime(seed)).as("the seed is not rebuilt under a running guest").isEqualTo(seedWritten);
  }

  private static InstanceSpec resized(InstanceSpec s) {
    return NodeOnTestDriver.resized(s, "t3.small", 2, 512);
  }

  @Test
  void aRunOfAStoppedInstanceRedefinesItFromTheNewSpecKeepingItsDiskAndAddress() throws Exception {
    String id = TestDriver.instanceId();
    node.dispatch(run(spec(id), 1));
    String uuid = TestDriver.uuid(virsh, id);
    assertThat(node.dispatch(forceStop(id, 1)).ok()).isTrue();
    Path disk = node.files.rootDisk(id);
    byte[] written = "what the guest wrote".getBytes();
    try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
      f.seek(4096);
      f.write(written);
    }

    Ack ack = node.dispatch(run(resized(spec(id)), 1));

    assertThat(ack.ok()).as(ack.message()).isTrue();
    assertThat(ack.result().get("privateIp").asText()).isEqualTo(firstAddress());
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    Document xml = domainXml(virsh, id);
    assertThat(at(xml, "memory").getTextContent()).isEqualTo("524288");
    assertThat(at(xml, "vcpu").getTextContent()).isEqualTo("2");
    assertThat(canopyOf(xml, "instance-type")).isEqualTo("t3.small");
    assertThat(TestDriver.uuid(virsh, id)).as("the same domain, redefined").isEqualTo(uuid);
    byte[] back = new byte[written.length];
    try (var f = new java.io.RandomAccessFile(disk.toFile(), "r")) {
      f.seek(4096);
      f.readFully(back);
    }
    assertThat(back).as("the disk is kept").isEqualTo(written);
    assertThat(Files.size(disk)).isEqualTo(1L << 30);
  }

  @Test
  void aDomainOfTheSameNameThatIsNotCanopysIsAConflictAndIsLeftAsItWas() throws Exception {
    String id = TestDriver.instanceId();
    virsh.domainDefineXML("<domain type='test'><name>" + id + "</name><memory unit='MiB'>64</memory>"
        + "<os><type arch='x86_64'>hvm</type></os></domain>").free();
    String before = domain(id);

    Ack ack = node.dispatch(run(spec(id), 1));

    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("DomainConflict");
    assertThat(ack.message()).contains(id).contains("not defined by this node");
    assertThat(domain(id)).as("the other domain is not touched").isEqualTo(before);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);
    assertThat(node.hostsFile(id)).as("no address taken").doesNotExist();
    assertThat(node.files.dir(id)).doesNotExist();
    assertThat(node.filters.filter("canopy-" + id)).isEmpty();
    virsh.domainLookupByName(id).undefine();
  }

  @Test
  void anotherNodesDomainOfTheSameNameIsAConflictToo() throws Exception {
    String id = TestDriver.instanceId();
    try (NodeOnTestDriver other = NodeOnTestDriver.open("node-b", dataDir.resolve("b"))) {
      assertThat(other.dispatch(run(spec(id), 1)).ok()).isTrue();

      Ack ack = node.dispatch(run(spec(id), 1));

      assertThat(ack.error()).isEqualTo("DomainConflict");
      assertThat(canopyOf(domainXml(virsh, id), "node")).isEqualTo(other.nodeId);
      assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
      assertThat(node.compute.inventory().domains()).isEmpty();
      assertThat(other.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1)).ok()).isTrue();
    }
  }

  @Test
  void aSpecTheNodeCannotTakeTouchesNothing() throws Exception {
    String id = TestDriver.instanceId();
    InstanceSpec s = spec(id);
    InstanceSpec noMemory = new InstanceSpec(id, s.accountId(), s.instanceType(), 1, 0, 1, s.imageId(), null, null,
        s.macAddress(), null, s.firewall());
    InstanceSpec badUserData = new InstanceSpec(id, s.accountId(), s.instanceType(), 1, 128, 1, s.imageId(),
        "not base64 at all!", null, s.macAddress(), null, s.firewall());

    Ack refused = node.dispatch(run(noMemory, 1));
    assertThat(refused.error()).isEqualTo("InvalidPayload");
    assertThat(refused.message()).contains("memoryMib");
    assertThat(node.hostsFile(id)).doesNotExist();

    Ack unseedable = node.dispatch(run(badUserData, 1));
    assertThat(unseedable.error()).isEqualTo("InvalidPayload");
    assertThat(unseedable.message()).contains("base64");
    assertThat(TestDriver.exists(virsh, id)).as("no domain for a spec its seed cannot carry").isFalse();
    // The address and filter were taken before the seed failed; the controller's terminate after a
    // failed launch gives them back.
    assertThat(node.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1)).ok()).isTrue();
    assertThat(node.hostsFile(id)).doesNotExist();
    assertThat(node.filters.filter("canopy-" + id)).isEmpty();
    assertThat(node.files.dir(id)).doesNotExist();
  }

  @Test
  void whenLibvirtRefusesTheFilterTheAckCarriesLibvirtsOwnReasonAndNoDomainIsDefined() throws Exception {
    String id = TestDriver.instanceId();
    // The bare test driver: no nwfilter driver behind it, as on a libvirtd built without one.
    try (NodeOnTestDriver bare = NodeOnTestDriver.open("node-bare", dataDir.resolve("c"), node.network, null,
        hv -> new ForwardingHypervisor(hv) {
          @Override
          public void defineFilter(String name, String filterXml) {
            ((FiltersAside) delegate).testDriver().defineFilter(name, filterXml);
          }
        })) {
      Ack ack = bare.dispatch(run(spec(id), 1));

      assertThat(ack.ok()).isFalse();
      assertThat(ack.error()).isEqualTo("LibvirtError");
      assertThat(ack.message()).contains("defineFilter").contains("not supported").contains("[VIR_ERR_NO_SUPPORT 3]")
          .doesNotContain("\tat ");
      assertThat(TestDriver.exists(virsh, id)).isFalse();
    }
  }

  @Test
  void aStartThatOverrunsItsBoundIsATimeoutAndARetrySettlesIt() throws Exception {
    String id = TestDriver.instanceId();
    CountDownLatch release = new CountDownLatch(1);
    try (NodeOnTestDriver slow = NodeOnTestDriver.open("node-slow", dataDir.resolve("slow"), node.network, null,
        hv -> dev.canopy.node.hypervisor.BoundedHypervisor.wrap(new ForwardingHypervisor(hv) {
          @Override
          public void start(String name) {
            TestDriver.awaitLikeANativeCall(release); // a wedged qemu
            super.start(name);
          }
        }, new dev.canopy.node.hypervisor.HypervisorSettings(TestDriver.URI, Duration.ofMillis(300), 2, 8)))) {

      Ack ack = slow.dispatch(run(spec(id), 1));

      assertThat(ack.ok()).isFalse();
      assertThat(ack.error()).isEqualTo("Timeout");
      assertThat(ack.message()).isEqualTo("start: no answer from the hypervisor within 300 ms");
      // Not rolled back: the start may yet happen.
      assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);

      release.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDriver.state(virsh, id) == DomainState.RUNNING);
      Ack retry = slow.dispatch(run(spec(id), 1));
      assertThat(retry.ok()).as(retry.message()).isTrue();
      assertThat(retry.result().get("state").asText()).isEqualTo("running");
      assertThat(slow.dispatch(on(CommandTypes.TERMINATE_INSTANCE, id, 1)).ok()).isTrue();
    }
  }

  @Test
  void theAckReportsTheMetadataLibvirtKeeps() {
    String id = TestDriver.instanceId();
    node.dispatch(run(spec(id), 1));

    DomainMetadata meta = node.compute.hypervisor().find(id).orElseThrow().metadata();

    assertThat(meta).isEqualTo(new DomainMetadata(node.nodeId, id, "111122223333", "t3.micro", "ami-0123456789abcdef0"));
    assertThat(node.compute.inventory().domains()).extracting(r -> r.instanceId() + "=" + r.state())
        .containsExactly(id + "=running");
  }

  private String domain(String id) throws Exception {
    Domain d = virsh.domainLookupByName(id);
    try {
      return d.getXMLDesc(0);
    } finally {
      d.free();
    }
  }

  private static String canopy(Element metadata, String name) {
    var found = metadata.getElementsByTagNameNS(DomainMetadata.NAMESPACE, name);
    assertThat(found.getLength()).as("<canopy:%s> in the domain's metadata", name).isEqualTo(1);
    return found.item(0).getTextContent();
  }

  private static String canopyOf(Document xml, String name) {
    return canopy(at(xml, "metadata"), name);
  }
}
