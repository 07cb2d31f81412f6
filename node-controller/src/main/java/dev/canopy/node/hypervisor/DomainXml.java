package dev.canopy.node.hypervisor;

import java.io.StringReader;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Writes the libvirt domain XML for a {@link DomainPlan} and reads Canopy's parts back.
 *
 * <p>Built with the JDK's DOM so every value is escaped by the serializer, never by string
 * concatenation: an instance id or account id cannot inject elements. Characters XML 1.0 cannot
 * carry at all (most control characters) are refused with {@link IllegalArgumentException}, since
 * a serializer would otherwise emit a document libvirt rejects. User data is deliberately not in
 * the domain XML: anyone with {@code virsh dumpxml} could read it; it goes to the guest on a
 * NoCloud seed (the real-guests issue).
 */
public final class DomainXml {

  private DomainXml() {}

  /** The domain XML for the plan; the domain's name is the instance id. */
  public static String render(DomainPlan plan) {
    Document doc = newBuilder().newDocument();
    Element domain = doc.createElement("domain");
    doc.appendChild(domain);
    domain.setAttribute("type", plan.virtType().libvirtName());
    text(domain, "name", plan.spec().instanceId());
    child(domain, "metadata").appendChild(instanceElement(doc, plan.metadata()));
    text(domain, "memory", Integer.toString(positive("memoryMib", plan.spec().memoryMib())))
        .setAttribute("unit", "MiB");
    text(domain, "vcpu", Integer.toString(positive("vcpus", plan.spec().vcpus())));

    Element os = child(domain, "os");
    text(os, "type", "hvm").setAttribute("arch", "x86_64");
    if (plan.kernel() != null) {
      text(os, "kernel", plan.kernel().toString());
      if (plan.initrd() != null) {
        text(os, "initrd", plan.initrd().toString());
      }
      if (plan.kernelCmdline() != null) {
        text(os, "cmdline", plan.kernelCmdline());
      }
    } else {
      child(os, "boot").setAttribute("dev", "hd");
    }
    // Without <acpi/> the guest never sees the power button, so ACPI shutdown would always time out.
    child(child(domain, "features"), "acpi");
    child(domain, "clock").setAttribute("offset", "utc");
    text(domain, "on_poweroff", "destroy");
    text(domain, "on_reboot", "restart");
    // A crashed guest is left shut off for the controller to see, not silently restarted.
    text(domain, "on_crash", "destroy");

    Element devices = child(domain, "devices");
    Element disk = child(devices, "disk");
    disk.setAttribute("type", "file");
    disk.setAttribute("device", "disk");
    Element driver = child(disk, "driver");
    driver.setAttribute("name", "qemu");
    driver.setAttribute("type", plan.diskFormat());
    child(disk, "source").setAttribute("file", plan.rootDisk().toString());
    Element target = child(disk, "target");
    target.setAttribute("dev", "vda");
    target.setAttribute("bus", "virtio");
    if (plan.seedIso() != null) {
      seedDisk(devices, plan.seedIso().toString());
    }

    Element nic = child(devices, "interface");
    boolean bridge = plan.nic().kind() == NicAttachment.Kind.BRIDGE;
    nic.setAttribute("type", bridge ? "bridge" : "network");
    child(nic, "mac").setAttribute("address", plan.spec().macAddress());
    child(nic, "source").setAttribute(bridge ? "bridge" : "network", plan.nic().name());
    child(nic, "model").setAttribute("type", "virtio");
    if (plan.nic().filter() != null) {
      Element filterRef = child(nic, "filterref");
      filterRef.setAttribute("filter", xmlSafe("filter", plan.nic().filter()));
      Element ip = child(filterRef, "parameter");
      ip.setAttribute("name", "IP");
      ip.setAttribute("value", xmlSafe("ipAddress", plan.nic().ipAddress()));
    }

    String console = plan.consoleLog().toString();
    Element serial = child(devices, "serial");
    serial.setAttribute("type", "file");
    Element serialSource = child(serial, "source");
    serialSource.setAttribute("path", console);
    // Appended, not truncated, at each boot: GetConsoleOutput after a restart still shows the last run.
    serialSource.setAttribute("append", "on");
    child(serial, "target").setAttribute("port", "0");
    Element consoleEl = child(devices, "console");
    consoleEl.setAttribute("type", "file");
    Element consoleSource = child(consoleEl, "source");
    consoleSource.setAttribute("path", console);
    consoleSource.setAttribute("append", "on");
    Element consoleTarget = child(consoleEl, "target");
    consoleTarget.setAttribute("type", "serial");
    consoleTarget.setAttribute("port", "0");
    return serialize(doc);
  }

  /** The NoCloud seed as a read-only virtio disk: the guest finds it by its "cidata" label, not its slot. */
  private static void seedDisk(Element devices, String iso) {
    Element disk = child(devices, "disk");
    disk.setAttribute("type", "file");
    disk.setAttribute("device", "disk");
    Element driver = child(disk, "driver");
    driver.setAttribute("name", "qemu");
    driver.setAttribute("type", "raw");
    child(disk, "source").setAttribute("file", iso);
    Element target = child(disk, "target");
    target.setAttribute("dev", "vdb");
    target.setAttribute("bus", "virtio");
    child(disk, "readonly");
  }

  /** The {@code <name>} of a domain XML document. */
  public static String name(String domainXml) {
    Element name = firstChild(parse(domainXml).getDocumentElement(), null, "name");
    if (name == null) {
      throw new IllegalArgumentException("domain XML has no <name>");
    }
    return name.getTextContent().trim();
  }

  /** Canopy's metadata in a full domain XML document, if it has any. */
  public static Optional<DomainMetadata> metadata(String domainXml) {
    Element metadata = firstChild(parse(domainXml).getDocumentElement(), null, "metadata");
    if (metadata == null) {
      return Optional.empty();
    }
    Element instance = firstChild(metadata, DomainMetadata.NAMESPACE, DomainMetadata.ROOT);
    return instance == null ? Optional.empty() : Optional.of(readMetadata(instance));
  }

  /**
   * Parses the element libvirt returns for {@code virDomainGetMetadata(ELEMENT, NAMESPACE)}.
   * libvirt strips the namespace there ({@code <instance><node>..}), so children are matched by
   * local name whatever their namespace.
   */
  public static DomainMetadata parseMetadataElement(String elementXml) {
    Element root = parse(elementXml).getDocumentElement();
    if (!DomainMetadata.ROOT.equals(localName(root))) {
      throw new IllegalArgumentException("not Canopy metadata: <" + root.getTagName() + ">");
    }
    return readMetadata(root);
  }

  /** The metadata element alone, as {@code virDomainSetMetadata} would take it. */
  public static String renderMetadataElement(DomainMetadata metadata) {
    Document doc = newBuilder().newDocument();
    doc.appendChild(instanceElement(doc, metadata));
    return serialize(doc);
  }

  private static Element instanceElement(Document doc, DomainMetadata m) {
    Element instance = doc.createElementNS(DomainMetadata.NAMESPACE, DomainMetadata.PREFIX + ":" + DomainMetadata.ROOT);
    instance.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + DomainMetadata.PREFIX, DomainMetadata.NAMESPACE);
    canopyText(instance, "node", m.nodeId());
    canopyText(instance, "instance-id", m.instanceId());
    canopyText(instance, "account", m.accountId());
    canopyText(instance, "instance-type", m.instanceType());
    canopyText(instance, "image", m.imageId());
    return instance;
  }

  private static DomainMetadata readMetadata(Element instance) {
    String node = childText(instance, "node");
    String id = childText(instance, "instance-id");
    if (node == null || id == null) {
      throw new IllegalArgumentException("Canopy metadata lacks node or instance-id");
    }
    return new DomainMetadata(
        node, id, childText(instance, "account"), childText(instance, "instance-type"), childText(instance, "image"));
  }

  private static void canopyText(Element parent, String localName, String value) {
    if (value == null) {
      return;
    }
    Element e = parent.getOwnerDocument().createElementNS(DomainMetadata.NAMESPACE, DomainMetadata.PREFIX + ":" + localName);
    e.setTextContent(xmlSafe(localName, value));
    parent.appendChild(e);
  }

  private static Element child(Element parent, String name) {
    Element e = parent.getOwnerDocument().createElement(name);
    parent.appendChild(e);
    return e;
  }

  private static Element text(Element parent, String name, String value) {
    Element e = child(parent, name);
    e.setTextContent(xmlSafe(name, value));
    return e;
  }

  private static int positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, was " + value);
    }
    return value;
  }

  /** Refuses characters XML 1.0 cannot represent even escaped (a serializer would emit bad XML). */
  static String xmlSafe(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      boolean allowed = c == 0x9 || c == 0xA || c == 0xD
          || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!allowed) {
        throw new IllegalArgumentException(field + " contains a character XML cannot carry (U+" + Integer.toHexString(c) + ")");
      }
      i += Character.charCount(c);
    }
    return value;
  }

  private static String childText(Element parent, String localName) {
    Element e = firstChild(parent, null, localName);
    return e == null ? null : e.getTextContent();
  }

  /** The first child element with that local name, in that namespace unless {@code ns} is null. */
  private static Element firstChild(Element parent, String ns, String localName) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node n = children.item(i);
      if (n instanceof Element e && localName.equals(localName(e)) && (ns == null || ns.equals(e.getNamespaceURI()))) {
        return e;
      }
    }
    return null;
  }

  private static String localName(Element e) {
    return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
  }

  /** Parses with the safe builder below (no DOCTYPE, no external entities); also for {@link InterfaceTargets}. */
  static Document parse(String xml) {
    try {
      return newBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (SAXException | java.io.IOException e) {
      throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      // Documents come back from libvirt, but never let a DOCTYPE pull in external entities.
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      // The default handler prints "[Fatal Error]" to stderr; the exception says it all.
      builder.setErrorHandler(null);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
    }
  }

  private static String serialize(Document doc) {
    return LibvirtXml.serialize(doc);
  }

}
