package dev.canopy.node.hypervisor;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads each {@code <interface>}'s host device and MAC from a live domain XML, which is where
 * libvirt names the tap it created ({@code <target dev="vnet3"/>}); the stats call needs that name.
 */
final class InterfaceTargets {

  /** More NICs than any guest has; a document with more is not one libvirt wrote for Canopy. */
  static final int INTERFACES_MAX = 64;

  record Target(String device, String macAddress) {}

  private InterfaceTargets() {}

  /**
   * The interfaces under {@code <devices>} that have both a target device and a MAC, in document
   * order. One without a target (a shut-off domain, user-mode networking) has no counters to read.
   */
  static List<Target> of(String domainXml) {
    Element root = DomainXml.parse(domainXml).getDocumentElement();
    List<Target> out = new ArrayList<>();
    for (Element devices : children(root, "devices")) {
      for (Element nic : children(devices, "interface")) {
        String device = attribute(nic, "target", "dev");
        String mac = attribute(nic, "mac", "address");
        if (device != null && mac != null) {
          out.add(new Target(device, mac));
        }
      }
    }
    if (out.size() > INTERFACES_MAX) {
      throw new IllegalArgumentException("domain has " + out.size() + " interfaces; at most " + INTERFACES_MAX + " are read");
    }
    return out;
  }

  private static String attribute(Element parent, String child, String name) {
    List<Element> found = children(parent, child);
    if (found.isEmpty() || found.get(0).getAttribute(name).isBlank()) {
      return null;
    }
    return found.get(0).getAttribute(name);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
        out.add(e);
      }
    }
    return out;
  }
}
