package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.protocol.InstanceSpec;
import java.io.StringReader;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class DomainXmlTest {

  private static final String EVIL = "x\"'<>&]]></canopy:instance><evil/><!--";

  private static InstanceSpec spec(String id, String account) {
    return new InstanceSpec(id, account, "t3.micro", 2, 512, 1, "ami-0123456789abcdef0", "PHNjcmlwdD4=", null,
        "52:54:00:12:34:56", null, null);
  }

  private static DomainPlan plan(InstanceSpec spec, Path kernel, String cmdline) {
    return new DomainPlan("node-a", VirtType.QEMU, spec, Path.of("/data/instances/x/root.img"), "raw",
        kernel, null, kernel == null ? null : cmdline, Path.of("/data/instances/x/console.log"),
        NicAttachment.network("default"));
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  @Test
  void describesTheInstanceForLibvirt() throws Exception {
    String xml = DomainXml.render(plan(spec("i-0123456789abcdef0", "111122223333"), null, null));
    Document doc = parse(xml);
    assertThat(doc.getDocumentElement().getAttribute("type")).isEqualTo("qemu");
    assertThat(DomainXml.name(xml)).isEqualTo("i-0123456789abcdef0");
    assertThat(xml).contains("<memory unit=\"MiB\">512</memory>", "<vcpu>2</vcpu>", "<acpi/>",
        "<mac address=\"52:54:00:12:34:56\"/>", "<source network=\"default\"/>", "<model type=\"virtio\"/>",
        "<target bus=\"virtio\" dev=\"vda\"/>", "<source file=\"/data/instances/x/root.img\"/>",
        "<serial type=\"file\">", "<source append=\"on\" path=\"/data/instances/x/console.log\"/>", "<boot dev=\"hd\"/>");
    assertThat(xml).doesNotContain("<kernel>", "<cmdline>");
    // User data never goes into the domain XML (virsh dumpxml would show it to operators).
    assertThat(xml).doesNotContain("PHNjcmlwdD4=");
  }

  @Test
  void directKernelBootAndBridgeAndKvm() {
    InstanceSpec s = spec("i-0123456789abcdef0", "a");
    DomainPlan p = new DomainPlan("n", VirtType.KVM, s, Path.of("/d.img"), "qcow2", Path.of("/k/vmlinuz"),
        Path.of("/k/initrd.img"), "console=ttyS0 ds=nocloud", Path.of("/c.log"), NicAttachment.bridge("br0"));
    String xml = DomainXml.render(p);
    assertThat(xml).contains("<domain type=\"kvm\">", "<kernel>/k/vmlinuz</kernel>", "<initrd>/k/initrd.img</initrd>",
        "<cmdline>console=ttyS0 ds=nocloud</cmdline>", "<interface type=\"bridge\">", "<source bridge=\"br0\"/>",
        "type=\"qcow2\"");
    assertThat(xml).doesNotContain("<boot ");
  }

  @Test
  void theSeedIsASecondReadOnlyRawDisk() throws Exception {
    InstanceSpec s = spec("i-0123456789abcdef0", "a");
    DomainPlan p = new DomainPlan("n", VirtType.QEMU, s, Path.of("/i/root.qcow2"), "qcow2", null, null, null,
        Path.of("/c.log"), NicAttachment.network("default"), Path.of("/i/seed.iso"));
    Document doc = parse(DomainXml.render(p));

    NodeList disks = doc.getElementsByTagName("disk");
    assertThat(disks.getLength()).isEqualTo(2);
    Element seed = (Element) disks.item(1);
    assertThat(seed.getAttribute("device")).isEqualTo("disk");
    assertThat(((Element) seed.getElementsByTagName("driver").item(0)).getAttribute("type"))
        .isEqualTo("raw");
    assertThat(((Element) seed.getElementsByTagName("source").item(0)).getAttribute("file"))
        .isEqualTo("/i/seed.iso");
    Element target = (Element) seed.getElementsByTagName("target").item(0);
    assertThat(target.getAttribute("dev")).isEqualTo("vdb");
    assertThat(target.getAttribute("bus")).isEqualTo("virtio");
    assertThat(seed.getElementsByTagName("readonly").getLength()).isEqualTo(1);
    // The root disk stays first and writable.
    assertThat(((Element) disks.item(0)).getElementsByTagName("readonly").getLength()).isZero();
  }

  @Test
  void noSeedNoSecondDisk() throws Exception {
    Document doc = parse(DomainXml.render(plan(spec("i-0123456789abcdef0", "a"), null, null)));
    assertThat(doc.getElementsByTagName("disk").getLength()).isEqualTo(1);
  }

  @Test
  void valuesCannotInjectXml() throws Exception {
    InstanceSpec s = spec(EVIL, EVIL);
    String xml = DomainXml.render(plan(s, Path.of("/k"), EVIL));
    Document doc = parse(xml);
    assertThat(doc.getElementsByTagName("evil").getLength()).isZero();
    assertThat(doc.getElementsByTagNameNS(DomainMetadata.NAMESPACE, "instance").getLength()).isEqualTo(1);
    assertThat(DomainXml.name(xml)).isEqualTo(EVIL);
    assertThat(doc.getElementsByTagName("cmdline").item(0).getTextContent()).isEqualTo(EVIL);
    DomainMetadata back = DomainXml.metadata(xml).orElseThrow();
    assertThat(back.instanceId()).isEqualTo(EVIL);
    assertThat(back.accountId()).isEqualTo(EVIL);
  }

  @Test
  void charactersXmlCannotCarryAreRefused() {
    InstanceSpec s = spec("i-0123456789abcdef0", "acct\u0000");
    assertThatThrownBy(() -> DomainXml.render(plan(s, null, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0");
  }

  @Test
  void metadataRoundTripsThroughTheDomainXmlAndLibvirtsStrippedForm() {
    InstanceSpec s = spec("i-0123456789abcdef0", "111122223333");
    DomainMetadata expected = new DomainMetadata("node-a", "i-0123456789abcdef0", "111122223333", "t3.micro",
        "ami-0123456789abcdef0");
    assertThat(DomainXml.metadata(DomainXml.render(plan(s, null, null)))).contains(expected);
    assertThat(DomainXml.parseMetadataElement(DomainXml.renderMetadataElement(expected))).isEqualTo(expected);
    // virDomainGetMetadata returns the element with its namespace stripped.
    String stripped = "<instance>\n  <node>node-a</node>\n  <instance-id>i-0123456789abcdef0</instance-id>\n"
        + "  <account>111122223333</account><instance-type>t3.micro</instance-type>"
        + "<image>ami-0123456789abcdef0</image></instance>";
    assertThat(DomainXml.parseMetadataElement(stripped)).isEqualTo(expected);
  }

  @Test
  void foreignDomainsHaveNoCanopyMetadata() {
    assertThat(DomainXml.metadata("<domain type='test'><name>test</name></domain>")).isEmpty();
    String otherNs = "<domain><name>x</name><metadata><o:instance xmlns:o='urn:other'><o:node>n</o:node>"
        + "<o:instance-id>i</o:instance-id></o:instance></metadata></domain>";
    assertThat(DomainXml.metadata(otherNs)).isEmpty();
  }

  @Test
  void doctypesAreRefusedWhenReadingBack() {
    String xxe = "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><name>&e;</name></domain>";
    assertThatThrownBy(() -> DomainXml.name(xxe)).isInstanceOf(IllegalArgumentException.class);
  }
}
