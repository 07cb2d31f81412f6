package dev.canopy.node.hypervisor;

import static org.assertj.core.api.Assertions.fail;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * libvirt's in-process {@code test:///default} driver, for tests that check what the agent did in
 * libvirt the way an operator would with virsh: every connection to it in one JVM shares one state,
 * so a second, raw libvirt-java connection ({@link #observer}) sees the agent's domains and
 * networks. Without the libvirt0 package these tests fail, never skip.
 */
public final class TestDriver {

  public static final String URI = "test:///default";
  /** Ids unique in this JVM, apart from the fixed ones older tests use (the driver's state is shared). */
  private static final AtomicLong IDS = new AtomicLong(0x0c0de0000000L);

  private TestDriver() {}

  /** The agent's own kind of connection: bounded, with {@code callTimeout} per call. */
  public static BoundedHypervisor connect(Duration callTimeout) {
    try {
      return LibvirtHypervisor.connect(new HypervisorSettings(URI, callTimeout, 2, 16));
    } catch (HypervisorException e) {
      if (e.kind() == HypervisorException.Kind.LIBRARY_MISSING) {
        fail("libvirt's C library is missing: install the Debian package libvirt0. " + e.getMessage());
      }
      throw e;
    }
  }

  public static BoundedHypervisor connect() {
    return connect(Duration.ofSeconds(10));
  }

  /** A raw connection to look at libvirt's state with, as virsh would. */
  public static Connect observer() {
    connect().close(); // installs the agent's quiet libvirt error callback first
    try {
      return new Connect(URI);
    } catch (LibvirtException e) {
      throw new IllegalStateException("cannot open " + URI, e);
    }
  }

  /** A fresh EC2-style instance id (17 hex digits), never used before in this JVM. */
  public static String instanceId() {
    return String.format("i-%017x", IDS.incrementAndGet());
  }

  /** What {@code virsh dumpxml NAME} shows, parsed. */
  public static Document domainXml(Connect c, String name) throws LibvirtException {
    Domain d = c.domainLookupByName(name);
    try {
      return parse(d.getXMLDesc(0));
    } finally {
      d.free();
    }
  }

  /** What {@code virsh domstate NAME} shows. */
  public static DomainState state(Connect c, String name) throws LibvirtException {
    Domain d = c.domainLookupByName(name);
    try {
      return DomainState.valueOf(d.getInfo().state.name().substring("VIR_DOMAIN_".length()));
    } finally {
      d.free();
    }
  }

  /** Whether {@code virsh list --all} names the domain (persistent or transient). */
  public static boolean exists(Connect c, String name) throws LibvirtException {
    for (Domain d : c.listAllDomains(0)) {
      try {
        if (d.getName().equals(name)) {
          return true;
        }
      } finally {
        d.free();
      }
    }
    return false;
  }

  /** The domain's UUID, which a redefinition keeps. */
  public static String uuid(Connect c, String name) throws LibvirtException {
    Domain d = c.domainLookupByName(name);
    try {
      return d.getUUIDString();
    } finally {
      d.free();
    }
  }

  /**
   * Waits as a native libvirt call stuck in a wedged qemu would: the interrupt a timed-out bounded
   * wait sends does not end it (JNA calls cannot be interrupted).
   */
  public static void awaitLikeANativeCall(java.util.concurrent.CountDownLatch release) {
    while (true) {
      try {
        if (release.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        // not seen by native code: keep waiting
      }
    }
  }

  public static Document parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + xml, e);
    }
  }

  /** Every element named {@code tag} below {@code root}, in document order. */
  public static List<Element> all(Element root, String tag) {
    NodeList nodes = root.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  /** The one element named {@code tag} below {@code root}; fails when there are none or several. */
  public static Element only(Element root, String tag) {
    List<Element> found = all(root, tag);
    if (found.size() != 1) {
      throw new AssertionError("expected one <" + tag + "> under <" + root.getTagName() + ">, found " + found.size());
    }
    return found.get(0);
  }

  /** The one element at a path of tag names, each step a direct or deeper descendant. */
  public static Element at(Document doc, String... path) {
    Element e = doc.getDocumentElement();
    for (String tag : path) {
      e = only(e, tag);
    }
    return e;
  }
}
