package dev.canopy.node.hypervisor;

import static dev.canopy.node.hypervisor.TestDriver.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.network.GuestNetworkSettings;
import dev.canopy.node.network.NetworkXml;
import dev.canopy.node.protocol.InstanceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Network;
import org.w3c.dom.Document;

/**
 * {@link LibvirtHypervisor} (inside its {@link BoundedHypervisor}) on libvirt's test driver: what
 * each call leaves in libvirt, seen through a second connection as virsh would see it.
 */
class LibvirtHypervisorOnTestDriverTest {

  private BoundedHypervisor hv;
  private Connect virsh;

  @BeforeEach
  void open() {
    hv = TestDriver.connect();
    virsh = TestDriver.observer();
  }

  @AfterEach
  void close() throws Exception {
    hv.close();
    virsh.close();
  }

  private static String domainXml(String id, String nodeId, int memoryMib) {
    InstanceSpec spec = new InstanceSpec(id, "111122223333", "t3.micro", 1, memoryMib, 1, "ami-0123456789abcdef0", null,
        null, "52:54:00:10:20:30", null, null);
    return DomainXml.render(new DomainPlan(nodeId, VirtType.QEMU, spec, Path.of("/srv/" + id + "/root.img"), "raw", null,
        null, null, Path.of("/srv/" + id + "/console.log"), NicAttachment.network("default")));
  }

  private static GuestNetworkSettings network(String name, String subnet) {
    return new GuestNetworkSettings(name, name.substring(0, Math.min(15, name.length())), subnet, Path.of("/tmp/hosts-" + name));
  }

  @Test
  void aMissingNetworkIsDefinedStartedAndSetToStartWithTheHost() throws Exception {
    GuestNetworkSettings settings = network("cnp-net-a", "10.78.1.0/24");

    hv.ensureNetwork(settings.name(), NetworkXml.render(settings));

    Network network = virsh.networkLookupByName("cnp-net-a");
    try {
      assertThat(network.isActive()).isEqualTo(1);
      assertThat(network.isPersistent()).isEqualTo(1);
      assertThat(network.getAutostart()).isTrue();
      Document xml = TestDriver.parse(network.getXMLDesc(0));
      assertThat(at(xml, "forward").getAttribute("mode")).isEqualTo("nat");
      assertThat(at(xml, "ip").getAttribute("address")).isEqualTo("10.78.1.1");
      assertThat(at(xml, "ip").getAttribute("netmask")).isEqualTo("255.255.255.0");
      assertThat(at(xml, "ip", "dhcp", "range").getAttribute("start")).isEqualTo("10.78.1.2");
      assertThat(at(xml, "ip", "dhcp", "range").getAttribute("end")).isEqualTo("10.78.1.254");
    } finally {
      network.destroy();
      network.undefine();
      network.free();
    }
  }

  @Test
  void anExistingNetworkKeepsItsDefinitionAndIsStartedIfItWasStopped() throws Exception {
    GuestNetworkSettings first = network("cnp-net-b", "10.78.2.0/24");
    hv.ensureNetwork(first.name(), NetworkXml.render(first));
    Network network = virsh.networkLookupByName("cnp-net-b");
    String uuid = network.getUUIDString();
    network.destroy();
    network.setAutostart(false);

    // Another subnet in the settings must not rewire a network whose guests may be running.
    hv.ensureNetwork(first.name(), NetworkXml.render(network("cnp-net-b", "10.78.99.0/24")));

    try {
      assertThat(network.isActive()).isEqualTo(1);
      assertThat(network.getAutostart()).isTrue();
      assertThat(network.getUUIDString()).isEqualTo(uuid);
      assertThat(at(TestDriver.parse(network.getXMLDesc(0)), "ip").getAttribute("address")).isEqualTo("10.78.2.1");
    } finally {
      network.destroy();
      network.undefine();
      network.free();
    }
  }

  @Test
  void definingAnExistingNameReplacesItsConfigurationUnderTheSameUuid() throws Exception {
    String id = TestDriver.instanceId();
    hv.define(domainXml(id, "node-a", 128));
    String uuid = TestDriver.uuid(virsh, id);

    hv.define(domainXml(id, "node-a", 256));

    assertThat(TestDriver.uuid(virsh, id)).isEqualTo(uuid);
    assertThat(at(TestDriver.domainXml(virsh, id), "memory").getTextContent()).isEqualTo("262144");
    assertThat(hv.list().stream().filter(d -> d.name().equals(id))).hasSize(1);
    hv.undefine(id);
    assertThat(TestDriver.exists(virsh, id)).isFalse();
  }

  @Test
  void metadataIsReadBackFromLibvirtAndForeignDomainsHaveNone() throws Exception {
    String ours = TestDriver.instanceId();
    String foreign = TestDriver.instanceId();
    String malformed = TestDriver.instanceId();
    hv.define(domainXml(ours, "node-a", 128));
    virsh.domainDefineXML("<domain type='test'><name>" + foreign + "</name><memory unit='MiB'>64</memory>"
        + "<os><type arch='x86_64'>hvm</type></os></domain>").free();
    // Canopy's namespace but no node: someone else's element, never adopted.
    virsh.domainDefineXML("<domain type='test'><name>" + malformed + "</name><metadata><c:instance xmlns:c='"
        + DomainMetadata.NAMESPACE + "'><c:account>1</c:account></c:instance></metadata><memory unit='MiB'>64</memory>"
        + "<os><type arch='x86_64'>hvm</type></os></domain>").free();
    try {
      DomainSummary summary = hv.find(ours).orElseThrow();
      assertThat(summary.state()).isEqualTo(DomainState.SHUTOFF);
      assertThat(summary.metadata()).isEqualTo(
          new DomainMetadata("node-a", ours, "111122223333", "t3.micro", "ami-0123456789abcdef0"));
      assertThat(summary.ownedBy("node-a")).isTrue();
      assertThat(summary.ownedBy("node-b")).isFalse();

      assertThat(hv.find(foreign).orElseThrow().metadata()).isNull();
      assertThat(hv.find(malformed).orElseThrow().canopyMetadata()).isEmpty();
      assertThat(hv.find(TestDriver.instanceId())).isEmpty();
      assertThat(hv.list()).extracting(DomainSummary::name).contains(ours, foreign, malformed, "test");
    } finally {
      for (String name : new String[] {ours, foreign, malformed}) {
        hv.undefine(name);
      }
    }
  }

  @Test
  void aTransientDomainIsListedAndDestroyingItRemovesIt() throws Exception {
    String id = TestDriver.instanceId();
    virsh.domainCreateXML(domainXml(id, "node-a", 64), 0).free();

    assertThat(hv.find(id).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    assertThat(hv.list()).extracting(DomainSummary::name).contains(id);

    hv.destroy(id);
    assertThat(TestDriver.exists(virsh, id)).isFalse();
    assertThatThrownBy(() -> hv.state(id)).isInstanceOfSatisfying(HypervisorException.class,
        e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.NO_DOMAIN));
  }

  @Test
  void theDomainLifecycleCallsMoveLibvirtsState() throws Exception {
    String id = TestDriver.instanceId();
    hv.define(domainXml(id, "node-a", 64));

    hv.start(id);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    hv.reboot(id);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.RUNNING);
    hv.shutdown(id);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);
    // The test driver says so as an internal error (qemu's says "operation invalid"): hence
    // StopInstanceHandler looks at the state again rather than at the code.
    assertThatThrownBy(() -> hv.shutdown(id)).as("libvirt refuses to shut down what is off")
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isEqualTo(HypervisorException.Kind.FAILED);
          assertThat(e.libvirtCodeName()).isEqualTo("VIR_ERR_INTERNAL_ERROR");
          assertThat(e.operation()).isEqualTo("shutdown");
          assertThat(e.getMessage()).isEqualTo("shutdown: internal error: domain '" + id + "' not running");
        });
    assertThatThrownBy(() -> hv.destroy(id)).isInstanceOfSatisfying(HypervisorException.class,
        e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_STATE));
    hv.start(id);
    hv.destroy(id);
    assertThat(TestDriver.state(virsh, id)).isEqualTo(DomainState.SHUTOFF);
    hv.undefine(id);
    assertThat(TestDriver.exists(virsh, id)).isFalse();
  }

  @Test
  void hostInfoAndCapabilitiesAreLibvirtsOwn() {
    assertThat(hv.hostInfo()).isEqualTo(new HostInfo(16, 3_145_728));
    Document caps = TestDriver.parse(hv.capabilities());
    assertThat(caps.getDocumentElement().getTagName()).isEqualTo("capabilities");
    assertThat(TestDriver.all(caps.getDocumentElement(), "guest")).isNotEmpty();
  }

  @Test
  void nwfilterCallsTheDriverLacksAreTypedFailuresNotSilence() {
    assertThatThrownBy(() -> hv.defineFilter("canopy-x", "<filter name='canopy-x' chain='root'/>"))
        .isInstanceOfSatisfying(HypervisorException.class, e -> {
          assertThat(e.kind()).isEqualTo(HypervisorException.Kind.FAILED);
          assertThat(e.libvirtCodeName()).isEqualTo("VIR_ERR_NO_SUPPORT");
        });
    assertThatThrownBy(() -> hv.undefineFilter("canopy-x"))
        .as("only a filter that is not there is fine to remove; a driver without filters is an error")
        .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.operation()).isEqualTo("undefineFilter"));
  }

  @Test
  void aLibvirtCallThatOverrunsItsBoundIsReportedAndTheConnectionStaysUsable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Hypervisor wedgedList = new ForwardingHypervisor(TestDriver.connect()) {
      @Override
      public java.util.List<DomainSummary> list() {
        TestDriver.awaitLikeANativeCall(release);
        return super.list();
      }
    };
    BoundedHypervisor bounded = BoundedHypervisor.wrap(wedgedList,
        new HypervisorSettings(TestDriver.URI, Duration.ofMillis(250), 2, 4));
    try {
      long started = System.nanoTime();
      assertThatThrownBy(bounded::list).isInstanceOfSatisfying(HypervisorException.class, e -> {
        assertThat(e.kind()).isEqualTo(HypervisorException.Kind.TIMEOUT);
        assertThat(e.operation()).isEqualTo("list");
        assertThat(e.getMessage()).isEqualTo("list: no answer from the hypervisor within 250 ms");
        assertThat(e.libvirtCodeName()).isNull();
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the caller is not held by the stuck call")
          .isLessThan(Duration.ofSeconds(10));
      // The stuck call keeps one thread; the other still reaches libvirt.
      assertThat(bounded.find("test").orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    } finally {
      release.countDown();
      bounded.close();
    }
  }

  @Test
  void aConnectionThatCannotBeOpenedInTimeIsATimeout() {
    CountDownLatch never = new CountDownLatch(1);
    try {
      assertThatThrownBy(() -> BoundedHypervisor.open(() -> {
        TestDriver.awaitLikeANativeCall(never);
        return TestDriver.connect();
      }, new HypervisorSettings(TestDriver.URI, Duration.ofMillis(200), 1, 1)))
          .isInstanceOfSatisfying(HypervisorException.class, e -> {
            assertThat(e.kind()).isEqualTo(HypervisorException.Kind.TIMEOUT);
            assertThat(e.operation()).isEqualTo("open");
          });
    } finally {
      never.countDown();
    }
  }

  @Test
  void theUuidGoesFirstInsideTheRootElementAndMalformedUuidsAreABug() {
    String uuid = "0ad75f92-68e2-450e-b472-b3d461cb3bd9";
    Document withUuid = TestDriver.parse(LibvirtHypervisor.withUuid("<filter name='f'><rule/></filter>", "filter", uuid));
    assertThat(withUuid.getDocumentElement().getFirstChild().getNodeName()).isEqualTo("uuid");
    assertThat(withUuid.getDocumentElement().getFirstChild().getTextContent()).isEqualTo(uuid);
    assertThatThrownBy(() -> LibvirtHypervisor.withUuid("<filter/>", "filter", "x</uuid><evil/>"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> LibvirtHypervisor.withUuid("<filter name='f'/>", "filter", uuid))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
