package dev.canopy.node.hypervisor;

import java.util.OptionalInt;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The user QEMU runs guests as, read from libvirt's capabilities: the DAC security model's base
 * label ({@code <secmodel><model>dac</model><baselabel type='qemu'>+64055:+64055</baselabel>}),
 * which is qemu.conf's {@code user}/{@code group} as libvirtd resolved them. Asking libvirtd
 * rather than reading qemu.conf gives the answer that is in force, whatever the distribution's default.
 */
public final class GuestUser {

  private GuestUser() {}

  /** The uid guests run as; empty without a DAC model or when guests run as root (nothing to grant). */
  public static OptionalInt uidFrom(String capabilitiesXml) {
    NodeList models = DomainXml.parse(capabilitiesXml).getElementsByTagName("secmodel");
    for (int i = 0; i < models.getLength(); i++) {
      Element model = (Element) models.item(i);
      if (!"dac".equals(childText(model, "model"))) {
        continue;
      }
      String label = childText(model, "baselabel"); // "+uid:+gid"; the kvm and qemu labels are the same user
      if (label == null || !label.matches("\\+?\\d+:\\+?\\d+")) {
        return OptionalInt.empty();
      }
      int uid = Integer.parseInt(label.substring(0, label.indexOf(':')).replace("+", ""));
      return uid == 0 ? OptionalInt.empty() : OptionalInt.of(uid);
    }
    return OptionalInt.empty();
  }

  private static String childText(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }
}
